"""Console roles: per entity and action, an access level over owned records."""

from __future__ import annotations

from django.db import models


class AccessLevel(models.IntegerChoices):
    """How far a grant reaches; each level includes the ones below it."""

    NONE = 0, "None"
    USER = 1, "User"  # records the user owns
    BUSINESS_UNIT = 2, "Business unit"  # records of the user's business unit
    DIVISION = 3, "Division"  # the user's business unit and all units below it
    ORGANIZATION = 4, "Organization"  # every record of the user's organization


class Role(models.Model):
    name = models.SlugField(max_length=100, unique=True)
    label = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    is_administrator = models.BooleanField(
        default=False, help_text="Grants every action on every entity at organization level."
    )
    is_predefined = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label


class RolePermission(models.Model):
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="permissions")
    entity = models.CharField(max_length=100)
    action = models.CharField(max_length=30)
    level = models.PositiveSmallIntegerField(choices=AccessLevel.choices, default=AccessLevel.NONE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["role", "entity", "action"], name="role_perm_unique")]

    def __str__(self) -> str:
        return f"{self.role.name}:{self.entity}:{self.action}={self.level}"
