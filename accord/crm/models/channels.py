"""Channels (sources of customer data) and the customer association hub."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from accord.crm.models.choices import ChannelStatus


class Channel(models.Model):
    """A source of customer data of one registered type; owned by an organization.

    `entities` lists the entity keys ("crm.business_customer") the channel brings; an entity
    listed by a channel type but by no active channel of the organization is hidden from the menu.
    """

    name = models.CharField(max_length=255)
    channel_type = models.CharField(max_length=64, db_index=True)
    status = models.CharField(
        max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.INACTIVE, db_index=True
    )
    customer_identity = models.CharField(max_length=100)
    entities = models.JSONField(default=list, blank=True)
    organization = models.ForeignKey("platform.Organization", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["channel_type", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == ChannelStatus.ACTIVE


class CustomerAssociation(models.Model):
    """The hub: links an account to one customer record of any channel, or to the account itself.

    `source_type` is a key of `accord.crm.registries.customer_sources` ("crm.business_customer",
    "commerce.customer", ...) and `source_id` the record's id; both NULL is the account's own
    ("self") row, used by opportunities and leads attached directly to the account. The customer
    record is referenced by id, not by a foreign key, so that `crm` never imports the app that owns
    it. Deleting the account deletes its rows (the customer records survive, detached); see
    decision 0010.
    """

    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="associations")
    source_type = models.CharField(max_length=64, null=True, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    channel = models.ForeignKey(
        Channel, on_delete=models.SET_NULL, null=True, blank=True, related_name="associations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="crm_assoc_source")]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=Q(source_type__isnull=False),
                name="crm_assoc_unique_source",
            ),
            models.UniqueConstraint(
                fields=["account"], condition=Q(source_type__isnull=True), name="crm_assoc_one_self_row"
            ),
            models.CheckConstraint(
                condition=(Q(source_type__isnull=True) & Q(source_id__isnull=True))
                | (Q(source_type__isnull=False) & Q(source_id__isnull=False)),
                name="crm_assoc_source_pair",
            ),
        ]

    def __str__(self) -> str:
        if self.source_type is None:
            return f"Account {self.account_id}"
        return f"{self.source_type}:{self.source_id} → account {self.account_id}"

    @property
    def is_self(self) -> bool:
        return self.source_type is None
