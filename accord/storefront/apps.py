from django.apps import AppConfig


class StorefrontConfig(AppConfig):
    name = "accord.storefront"
    label = "storefront"
    verbose_name = "Storefront"
    default_auto_field = "django.db.models.BigAutoField"
