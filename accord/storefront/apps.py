"""The buyers' storefront and its API, over commerce services. Never imports `accord.crm`."""

from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "accord.storefront"
    label = "storefront"
    verbose_name = "Storefront"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.storefront import registrations

        registrations.register_all()
