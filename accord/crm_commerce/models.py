"""The bridge's own tables: what it remembers about commerce customers (no column on crm/commerce tables).

The account link itself is the CRM hub row `CustomerAssociation(source_type="commerce.customer")`.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models


class CustomerOwnAccount(models.Model):
    """The account a customer has of its own (under `each`), restored when it stops sharing its root's.

    Kept when the customer is linked to its root's account under `root` (oro-spec §2.1 "previous
    account"); the account may be deleted meanwhile (SET NULL).
    """

    customer = models.OneToOneField(
        "commerce.Customer", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    account = models.ForeignKey(
        "crm.Account", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", db_index=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"customer {self.customer_id} → own account {self.account_id}"


class CustomerLifetimeValue(models.Model):
    """A customer's lifetime sales value in the base currency: payments received on its orders less
    refunds, each at the rate recorded with it (decision 0054). Stored, kept on write."""

    customer = models.OneToOneField(
        "commerce.Customer", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=Decimal("0.00"))
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"customer {self.customer_id}: {self.amount}"


class OpportunityQuote(models.Model):
    """A quote a sales rep created from an opportunity of a commerce customer (oro-spec #100:
    the opportunity then shows "Quote created"). Goes with the opportunity or the quote."""

    opportunity = models.ForeignKey("crm.Opportunity", on_delete=models.CASCADE, related_name="+")
    quote = models.OneToOneField("commerce.Quote", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "platform.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"opportunity {self.opportunity_id} → quote {self.quote_id}"
