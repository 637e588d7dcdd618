"""Commerce back office: customer hierarchies, customer users and roles, products, shopping lists,
RFQs, quotes and orders. Never imports `accord.crm`; it announces what happens in `signals.py`.
"""

from django.apps import AppConfig


class CommerceConfig(AppConfig):
    name = "accord.commerce"
    label = "commerce"
    verbose_name = "Commerce"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accord.commerce import registrations

        registrations.register_all()
