"""Orders, their lines, and the payments and refunds recorded against them.

`paid_amount` and `refunded_amount` are stored sums of the payment and refund rows (kept by the
services in the same transaction), and `payment_status` is derived from them and the total by
`derive_payment_status`, so what was paid and refunded is always known without a join.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from accord.commerce.models.documents import _Document, _Line

ZERO = Decimal("0.00")


class InternalStatus(models.TextChoices):
    OPEN = "open", "Open"
    PROCESSING = "processing", "Processing"
    SHIPPED = "shipped", "Shipped"
    CLOSED = "closed", "Closed"
    CANCELLED = "cancelled", "Cancelled"


class PaymentStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    AUTHORIZED = "authorized", "Authorized"
    PARTIALLY_PAID = "partially_paid", "Partially paid"
    PAID_IN_FULL = "paid_in_full", "Paid in full"
    PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"
    REFUNDED = "refunded", "Refunded"
    CANCELLED = "cancelled", "Cancelled"


def derive_payment_status(
    *, total: Decimal, paid: Decimal, refunded: Decimal, cancelled: bool = False, authorized: bool = False
) -> str:
    """The payment status that the amounts mean (see decision 0031)."""
    if refunded > 0:
        return PaymentStatus.REFUNDED if refunded >= paid else PaymentStatus.PARTIALLY_REFUNDED
    if paid > 0:
        return PaymentStatus.PAID_IN_FULL if paid >= total else PaymentStatus.PARTIALLY_PAID
    if cancelled:
        return PaymentStatus.CANCELLED
    if total <= 0:
        return PaymentStatus.PAID_IN_FULL
    return PaymentStatus.AUTHORIZED if authorized else PaymentStatus.PENDING


def outstanding_of(total: Decimal, paid: Decimal) -> Decimal:
    """What can still be paid: the total less every payment (refunds do not reopen it)."""
    return max(total - paid, ZERO)


class Order(_Document):
    identifier = models.CharField(max_length=64)
    po_number = models.CharField(max_length=255, blank=True, db_index=True)
    currency = models.CharField(max_length=3)
    subtotal = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    discount = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    total = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    base_rate = models.DecimalField(max_digits=20, decimal_places=10, default=Decimal(1))
    base_subtotal = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    base_total = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    internal_status = models.CharField(
        max_length=20, choices=InternalStatus.choices, default=InternalStatus.OPEN, db_index=True
    )
    payment_status = models.CharField(
        max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING, db_index=True
    )
    payment_authorized = models.BooleanField(default=False)
    paid_amount = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    refunded_amount = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)
    source_quote = models.ForeignKey(
        "commerce.Quote", on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    entry_point = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "identifier"], name="commerce_order_identifier"),
            models.CheckConstraint(
                condition=models.Q(refunded_amount__lte=models.F("paid_amount")),
                name="commerce_order_refund_le_paid",
            ),
        ]
        indexes = [models.Index(fields=["identifier"], name="commerce_order_ident_idx")]

    def __str__(self) -> str:
        return self.identifier

    @property
    def outstanding(self) -> Decimal:
        return outstanding_of(self.total, self.paid_amount)

    @property
    def refundable(self) -> Decimal:
        return self.paid_amount - self.refunded_amount

    @property
    def net_paid(self) -> Decimal:
        return self.paid_amount - self.refunded_amount


class OrderLine(_Line):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    unit_price = models.DecimalField(max_digits=18, decimal_places=4)
    total = models.DecimalField(max_digits=18, decimal_places=2, default=ZERO)


class _Money(models.Model):
    """A payment or refund: an amount in the order's currency at a moment, with the base rate then."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE)
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    currency = models.CharField(max_length=3)
    at = models.DateTimeField(db_index=True)
    base_rate = models.DecimalField(max_digits=20, decimal_places=10)
    base_amount = models.DecimalField(max_digits=18, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by_label = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class OrderPayment(_Money):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")


class OrderRefund(_Money):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
