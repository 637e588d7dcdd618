"""Business customers: the customers of a b2b channel, each aggregated by an account."""

from __future__ import annotations

from django.db import models

from accord.crm.models.sales_points import SalesAddress, SalesEmail, SalesPhone
from accord.platform.models import OwnedModel

SOURCE_TYPE = "crm.business_customer"


class BusinessCustomer(OwnedModel):
    """`account` mirrors its hub row (`CustomerAssociation` with source "crm.business_customer");
    `lifetime` (base currency) = Σ close revenue of its won opportunities, kept on write."""

    name = models.CharField(max_length=255, db_index=True)
    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="business_customers")
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="business_customers"
    )
    channel = models.ForeignKey("crm.Channel", on_delete=models.PROTECT, related_name="business_customers")
    lifetime = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class BusinessCustomerEmail(SalesEmail):
    business_customer = models.ForeignKey(BusinessCustomer, on_delete=models.CASCADE, related_name="emails")

    class Meta(SalesEmail.Meta):
        pass


class BusinessCustomerPhone(SalesPhone):
    business_customer = models.ForeignKey(BusinessCustomer, on_delete=models.CASCADE, related_name="phones")

    class Meta(SalesPhone.Meta):
        pass


class BusinessCustomerAddress(SalesAddress):
    """At most one billing and one shipping address."""

    business_customer = models.ForeignKey(
        BusinessCustomer, on_delete=models.CASCADE, related_name="addresses"
    )

    class Meta(SalesAddress.Meta):
        constraints = [
            models.UniqueConstraint(fields=["business_customer", "kind"], name="crm_bc_address_kind_unique")
        ]
