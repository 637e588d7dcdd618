"""Buyer-side commerce documents: shopping lists, requests for quote (RFQs) and quotes.

Each belongs to a customer and (storefront ownership) to the customer user who owns it, and to a
console owner/business unit/organization for the back-office ACL. Lines keep the product's SKU and
name as they were, so a document still reads right after the product is renamed or deleted.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone

from accord.platform.models import OwnedModel


class RfqStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    QUOTED = "quoted", "Quoted"
    CANCELLED = "cancelled", "Cancelled"


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"


class _Document(OwnedModel):
    customer = models.ForeignKey("commerce.Customer", on_delete=models.PROTECT, related_name="+")
    customer_user = models.ForeignKey(
        "commerce.CustomerUser", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True


class ShoppingList(_Document):
    customer_user = models.ForeignKey(  # a shopping list is personal: it goes with its user
        "commerce.CustomerUser", on_delete=models.CASCADE, related_name="shopping_lists"
    )
    name = models.CharField(max_length=255)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class ShoppingListLine(models.Model):
    shopping_list = models.ForeignKey(ShoppingList, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("commerce.Product", on_delete=models.CASCADE, related_name="+")
    quantity = models.DecimalField(max_digits=14, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shopping_list", "product"], name="commerce_sl_line_unique_product"
            )
        ]


class Rfq(_Document):
    """A request for quote, submitted by a buyer from a shopping list."""

    shopping_list = models.ForeignKey(
        ShoppingList, on_delete=models.SET_NULL, null=True, blank=True, related_name="rfqs"
    )
    po_number = models.CharField(max_length=255, blank=True, db_index=True)
    note = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=RfqStatus.choices, default=RfqStatus.SUBMITTED, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "RFQ"

    def __str__(self) -> str:
        return f"RFQ #{self.pk}"


class _Line(models.Model):
    product = models.ForeignKey(
        "commerce.Product", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sku = models.CharField(max_length=64)
    name = models.CharField(max_length=255)
    quantity = models.DecimalField(max_digits=14, decimal_places=3)

    class Meta:
        abstract = True
        ordering = ["id"]


class RfqLine(_Line):
    rfq = models.ForeignKey(Rfq, on_delete=models.CASCADE, related_name="lines")
    target_price = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)


class Quote(_Document):
    """An offer to a customer, usually made by a sales rep from an RFQ; accepting it places an order."""

    rfq = models.ForeignKey(Rfq, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes")
    po_number = models.CharField(max_length=255, blank=True)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=18, decimal_places=4, default=Decimal("0"))
    status = models.CharField(
        max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT, db_index=True
    )
    valid_until = models.DateField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Quote #{self.pk}"

    @property
    def is_expired(self) -> bool:
        return quote_status_on(self.status, self.valid_until, timezone.localdate()) == QuoteStatus.EXPIRED

    @property
    def effective_status(self) -> str:
        return quote_status_on(self.status, self.valid_until, timezone.localdate())


def quote_status_on(status: str, valid_until: dt.date | None, today: dt.date) -> str:
    """A quote's status on a day: expired when sent and past its last valid day (stored as expired,
    or not yet noticed)."""
    if status == QuoteStatus.SENT and valid_until is not None and valid_until < today:
        return QuoteStatus.EXPIRED
    return status


def quote_status_q(status: str) -> models.Q:
    """Quotes whose effective status is `status` (expiry is computed from `valid_until`)."""
    today = timezone.localdate()
    lapsed = models.Q(status=QuoteStatus.SENT, valid_until__lt=today)
    if status == QuoteStatus.EXPIRED:
        return models.Q(status=QuoteStatus.EXPIRED) | lapsed
    if status == QuoteStatus.SENT:
        return models.Q(status=QuoteStatus.SENT) & ~lapsed
    return models.Q(status=status)


class QuoteLine(_Line):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    rfq_line = models.ForeignKey(RfqLine, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    unit_price = models.DecimalField(max_digits=18, decimal_places=4)

    @property
    def total(self) -> Decimal:
        return line_total(self.quantity, self.unit_price)


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(Decimal("0.01"))
