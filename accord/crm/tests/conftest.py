"""CRM test fixtures: each part of the app keeps its own in a module imported here."""

from accord.crm.tests.core_fixtures import *  # noqa: F403
from accord.crm.tests.sales_fixtures import *  # noqa: F403
