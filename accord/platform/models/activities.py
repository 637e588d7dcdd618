"""Notes, calls and tasks attached to any registered entity."""

from __future__ import annotations

from django.db import models

from accord.platform.models.ownership import OwnedModel


class ActivityKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Call"
    TASK = "task", "Task"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class Activity(OwnedModel):
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    # What it is attached to: an entity key of the registry and the record's id.
    target_entity = models.CharField(max_length=100)
    target_id = models.BigIntegerField()
    # Tasks
    due_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, blank=True)
    # Calls
    direction = models.CharField(max_length=10, choices=CallDirection.choices, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    happened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-happened_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [models.Index(fields=["target_entity", "target_id", "happened_at"], name="activity_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
