from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PlatformConfig(AppConfig):
    name = "accord.platform"
    label = "platform"
    verbose_name = "Accord platform"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.platform import array_in, registrations

        array_in.register()
        registrations.register_all()
        post_migrate.connect(_after_migrate, sender=self)


def _after_migrate(**kwargs: object) -> None:
    from accord.platform.services.roles import roles_sync_predefined

    roles_sync_predefined()
