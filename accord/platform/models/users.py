"""Console users: Django users that belong to an organization and a business unit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    organization = models.ForeignKey(
        "platform.Organization", on_delete=models.PROTECT, null=True, related_name="users"
    )
    business_unit = models.ForeignKey(
        "platform.BusinessUnit", on_delete=models.PROTECT, null=True, related_name="users"
    )
    roles = models.ManyToManyField("platform.Role", blank=True, related_name="users")
    title = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    # Per-request cache of the ACL grants, filled by accord.platform.acl.
    _accord_grants: dict[Any, Any] | None = None
