"""Postal addresses of customers and customer users, typed billing/shipping with one default per type."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

ADDRESS_FIELDS = ("label", "street", "street2", "city", "postal_code", "region", "country")
ADDRESS_FLAGS = ("is_billing", "is_shipping", "is_default_billing", "is_default_shipping")


class AddressBase(models.Model):
    label = models.CharField(max_length=255, blank=True)
    street = models.CharField(max_length=500)
    street2 = models.CharField(max_length=500, blank=True)
    city = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2 code.")
    is_billing = models.BooleanField(default=False)
    is_shipping = models.BooleanField(default=False)
    is_default_billing = models.BooleanField(default=False)
    is_default_shipping = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street, self.postal_code, self.city, self.country) if p)

    @property
    def types(self) -> list[str]:
        return [t for t in ("billing", "shipping") if getattr(self, f"is_{t}")]

    @property
    def default_types(self) -> list[str]:
        return [t for t in ("billing", "shipping") if getattr(self, f"is_default_{t}")]


def _address_constraints(owner: str, prefix: str) -> list[models.BaseConstraint]:
    return [
        models.UniqueConstraint(
            fields=[owner], condition=Q(is_default_billing=True), name=f"{prefix}_one_default_billing"
        ),
        models.UniqueConstraint(
            fields=[owner], condition=Q(is_default_shipping=True), name=f"{prefix}_one_default_shipping"
        ),
        models.CheckConstraint(
            condition=Q(is_default_billing=False) | Q(is_billing=True), name=f"{prefix}_default_billing_typed"
        ),
        models.CheckConstraint(
            condition=Q(is_default_shipping=False) | Q(is_shipping=True),
            name=f"{prefix}_default_shipping_typed",
        ),
    ]


class CustomerAddress(AddressBase):
    customer = models.ForeignKey("commerce.Customer", on_delete=models.CASCADE, related_name="addresses")

    class Meta:
        ordering = ["id"]
        constraints = _address_constraints("customer", "cust_addr")


class CustomerUserAddress(AddressBase):
    customer_user = models.ForeignKey(
        "commerce.CustomerUser", on_delete=models.CASCADE, related_name="addresses"
    )

    class Meta:
        ordering = ["id"]
        constraints = _address_constraints("customer_user", "cust_user_addr")
