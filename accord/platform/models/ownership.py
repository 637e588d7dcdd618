"""Abstract bases: timestamps, and the owner / business unit / organization every owned record carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OwnedModel(TimestampedModel):
    """A record the ACL can reason about: owned by a user, in a business unit, in an organization."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    business_unit = models.ForeignKey("platform.BusinessUnit", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey("platform.Organization", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
