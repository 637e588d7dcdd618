"""Platform models. Everything public is re-exported here."""

from accord.platform.models.activities import Activity, ActivityKind, TaskStatus
from accord.platform.models.audit import AuditEntry
from accord.platform.models.jobs import Job, JobError, JobStatus
from accord.platform.models.money import CurrencyRate
from accord.platform.models.organization import BusinessUnit, Organization
from accord.platform.models.ownership import OwnedModel, TimestampedModel
from accord.platform.models.roles import AccessLevel, Role, RolePermission
from accord.platform.models.search import SearchEntry
from accord.platform.models.settings import ConfigValue
from accord.platform.models.tokens import ApiToken
from accord.platform.models.users import User

__all__ = [
    "AccessLevel",
    "Activity",
    "ActivityKind",
    "ApiToken",
    "AuditEntry",
    "BusinessUnit",
    "ConfigValue",
    "CurrencyRate",
    "Job",
    "JobError",
    "JobStatus",
    "Organization",
    "OwnedModel",
    "Role",
    "RolePermission",
    "SearchEntry",
    "TaskStatus",
    "TimestampedModel",
    "User",
]
