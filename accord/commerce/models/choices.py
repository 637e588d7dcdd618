"""Choice lists shared by commerce models, services and faces."""

from __future__ import annotations

from django.db import models


class InternalRating(models.TextChoices):
    ONE = "1_of_5", "1 of 5"
    TWO = "2_of_5", "2 of 5"
    THREE = "3_of_5", "3 of 5"
    FOUR = "4_of_5", "4 of 5"
    FIVE = "5_of_5", "5 of 5"


class PaymentTerm(models.TextChoices):
    PREPAID = "prepaid", "Prepaid"
    NET_15 = "net_15", "Net 15"
    NET_30 = "net_30", "Net 30"
    NET_60 = "net_60", "Net 60"
    NET_90 = "net_90", "Net 90"


class EntryPoint(models.TextChoices):
    """Where a customer came from; announced with `customer_created`."""

    CONSOLE = "console", "Console"
    API = "api", "API"
    IMPORT = "import", "Import"
    REGISTRATION = "registration", "Storefront registration"
    DEMO = "demo", "Demo data"


class ProductStatus(models.TextChoices):
    ENABLED = "enabled", "Enabled"
    DISABLED = "disabled", "Disabled"
