"""Merge records: what a merge of accounts changed, kept so that it can be undone."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class MergeStatus(models.TextChoices):
    DONE = "done", "Merged"
    UNDONE = "undone", "Undone"


class Merge(models.Model):
    """One merge of `merged_ids` into `master_id`; `state` holds what undo restores (decision 0012)."""

    entity = models.CharField(max_length=100, default="crm.account")
    master_id = models.BigIntegerField(db_index=True)
    master_name = models.CharField(max_length=255)
    merged_ids = models.JSONField(default=list)
    merged_names = models.JSONField(default=list)
    organization = models.ForeignKey("platform.Organization", on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=MergeStatus.choices, default=MergeStatus.DONE, db_index=True
    )
    summary = models.JSONField(default=dict)
    state = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Merge of {len(self.merged_ids)} account(s) into {self.master_name}"
