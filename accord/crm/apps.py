"""CRM: accounts, contacts, contact groups, channels, the customer association hub, and the sales
side (business customers, leads, opportunities, forecast). Never imports `accord.commerce`.
"""

from __future__ import annotations

from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "accord.crm"
    label = "crm"
    verbose_name = "CRM"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.crm import registrations

        registrations.register_all()
