"""The bridge: an account for every commerce customer, the account strategy, lifetime sales value.

Installed exactly when both `crm` and `commerce` are; the only app that imports both.
"""

from django.apps import AppConfig
from django.core import checks


class CrmCommerceConfig(AppConfig):
    name = "accord.crm_commerce"
    label = "crm_commerce"
    verbose_name = "CRM and Commerce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        checks.register(_both_halves_installed)
        from accord.crm_commerce import registrations

        registrations.register_all()


def _both_halves_installed(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
    from django.apps import apps

    missing = [name for name in ("accord.crm", "accord.commerce") if not apps.is_installed(name)]
    if missing:
        return [checks.Error(f"crm_commerce needs {', '.join(missing)} installed.", id="accord.E001")]
    return []
