"""Accounts: the companies (or people) the sales team works with, across every channel."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.platform.models import OwnedModel


class Account(OwnedModel):
    name = models.CharField(max_length=255, db_index=True)
    default_contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="default_in_accounts"
    )
    referred_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    description = models.TextField(blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True)
    contacts = models.ManyToManyField("crm.Contact", blank=True, related_name="accounts")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "external_id"],
                condition=Q(external_id__isnull=False),
                name="crm_account_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.name
