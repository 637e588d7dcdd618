"""Test support shared by the commerce and storefront suites."""

from __future__ import annotations

import importlib

from django.apps import apps

from accord.commerce.models import CustomerUserRole

_SEED = importlib.import_module("accord.commerce.migrations.0002_predefined_roles")


def predefined_role(code: str) -> CustomerUserRole:
    """The predefined role, seeded again when a transactional test (live server, migrations) flushed it."""
    _SEED.create(apps, None)
    return CustomerUserRole.objects.get(role=code)
