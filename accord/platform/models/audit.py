"""Append-only change history of registered entities."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Created"
        UPDATE = "update", "Updated"
        DELETE = "delete", "Deleted"

    entity = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_label = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(db_index=True)
    # {"field": {"old": ..., "new": ...}}
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["entity", "object_id", "at"], name="audit_entity_obj")]

    def __str__(self) -> str:
        return f"{self.entity}#{self.object_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"
