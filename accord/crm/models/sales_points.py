"""Emails, phones and addresses of business customers and leads (each list has one primary)."""

from __future__ import annotations

from django.db import models


class AddressKind(models.TextChoices):
    BILLING = "billing", "Billing"
    SHIPPING = "shipping", "Shipping"
    OTHER = "other", "Other"


class SalesEmail(models.Model):
    email = models.CharField(max_length=255, db_index=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.email


class SalesPhone(models.Model):
    phone = models.CharField(max_length=64, db_index=True)
    is_primary = models.BooleanField(default=False)

    class Meta:
        abstract = True
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return self.phone


class SalesAddress(models.Model):
    kind = models.CharField(max_length=10, choices=AddressKind.choices, default=AddressKind.OTHER)
    is_primary = models.BooleanField(default=False)
    street = models.CharField(max_length=500)
    street2 = models.CharField(max_length=500, blank=True)
    city = models.CharField(max_length=255)
    postal_code = models.CharField(max_length=32, blank=True)
    region = models.CharField(max_length=255, blank=True)
    country = models.CharField(max_length=2)

    class Meta:
        abstract = True
        ordering = ["-is_primary", "id"]

    def __str__(self) -> str:
        return ", ".join(p for p in (self.street, self.postal_code, self.city, self.country) if p)
