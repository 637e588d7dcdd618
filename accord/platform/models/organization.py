"""Organization and its tree of business units."""

from __future__ import annotations

from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BusinessUnit(models.Model):
    """A node of the organization's business-unit tree.

    `path` ("/1/4/9/") is stored and kept on write so that a division (a unit and all units
    below it) is one indexed prefix query.
    """

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="business_units")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=255)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    path = models.CharField(max_length=1024, db_index=True, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="bu_unique_name_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2 if self.path else 0
