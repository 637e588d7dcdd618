"""Leads: a prospect before it becomes an opportunity."""

from __future__ import annotations

from django.db import models

from accord.crm.models.sales_points import SalesAddress, SalesEmail, SalesPhone
from accord.platform.models import OwnedModel


class LeadStatus(models.TextChoices):
    NEW = "new", "New"
    QUALIFIED = "qualified", "Qualified"
    DISQUALIFIED = "disqualified", "Disqualified"


class LeadSource(models.TextChoices):
    CALL = "call", "Phone Call"
    TV = "tv", "TV"
    WEBSITE = "website", "Website"
    EMAIL = "email", "Email"
    REFERRAL = "referral", "Referral"
    OTHER = "other", "Other Source"


class Lead(OwnedModel):
    name = models.CharField(max_length=255, db_index=True, help_text="The lead's title.")
    name_prefix = models.CharField(max_length=64, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    name_suffix = models.CharField(max_length=64, blank=True)
    company_name = models.CharField(max_length=255, blank=True, db_index=True)
    job_title = models.CharField(max_length=255, blank=True)
    website = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=LeadStatus.choices, default=LeadStatus.NEW, db_index=True
    )
    source = models.CharField(max_length=20, choices=LeadSource.choices, blank=True, db_index=True)
    notes = models.TextField(blank=True)
    customer_association = models.ForeignKey(
        "crm.CustomerAssociation", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="leads"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    @property
    def person_name(self) -> str:
        parts = (self.name_prefix, self.first_name, self.middle_name, self.last_name, self.name_suffix)
        return " ".join(p for p in parts if p)


class LeadEmail(SalesEmail):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="emails")

    class Meta(SalesEmail.Meta):
        pass


class LeadPhone(SalesPhone):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="phones")

    class Meta(SalesPhone.Meta):
        pass


class LeadAddress(SalesAddress):
    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="addresses")

    class Meta(SalesAddress.Meta):
        pass
