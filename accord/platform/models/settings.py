"""Stored values of the typed system settings (definitions live in the settings registry)."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models


class ConfigValue(models.Model):
    key = models.CharField(max_length=200, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.key}={self.value!r}"
