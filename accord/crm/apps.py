"""CRM: accounts, contacts, contact groups, channels, the customer association hub, and the sales
side (business customers, leads, opportunities, forecast). Never imports `accord.commerce`.
"""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CrmConfig(AppConfig):
    name = "accord.crm"
    label = "crm"
    verbose_name = "CRM"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.crm import registrations

        registrations.register_all()
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(**kwargs: Any) -> None:
    from accord.crm.services.contact_groups import contact_groups_ensure_defaults_everywhere

    contact_groups_ensure_defaults_everywhere(using=kwargs.get("using") or "default")
