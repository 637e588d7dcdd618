"""A minimal product list: enough for the lines of commerce documents."""

from __future__ import annotations

from decimal import Decimal

from django.db import models

from accord.commerce.models.choices import ProductStatus
from accord.platform.models import TimestampedModel


class Product(TimestampedModel):
    organization = models.ForeignKey("platform.Organization", on_delete=models.PROTECT, related_name="+")
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255, db_index=True)
    unit_price = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("0"))
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=ProductStatus.choices, default=ProductStatus.ENABLED, db_index=True
    )

    class Meta:
        ordering = ["sku"]
        constraints = [models.UniqueConstraint(fields=["organization", "sku"], name="commerce_product_sku")]

    def __str__(self) -> str:
        return f"{self.sku} — {self.name}"
