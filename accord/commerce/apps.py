from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "accord.commerce"
    label = "commerce"
    verbose_name = "Commerce"
    default_auto_field = "django.db.models.BigAutoField"
