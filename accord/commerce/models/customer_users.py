"""Customer users (the buyers who log in to the storefront) and their customer-specific roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.db.models import Q

from accord.platform.models import OwnedModel


class StorefrontLevel(models.IntegerChoices):
    """How far a storefront grant reaches; never upward to a parent, never to a sibling."""

    NONE = 0, "None"
    USER = 1, "User (Own)"  # records of the customer user
    DEPARTMENT = 2, "Department (Same Level)"  # records of the user's customer
    CORPORATE = 3, "Corporate (All Levels)"  # the user's customer and all its descendants


class CustomerUserRole(models.Model):
    """A storefront role; `customer` NULL means predefined and shared by every customer."""

    role = models.CharField(max_length=255, unique=True, editable=False)
    label = models.CharField(max_length=255)
    customer = models.ForeignKey(
        "commerce.Customer", on_delete=models.CASCADE, null=True, blank=True, related_name="roles"
    )
    self_managed = models.BooleanField(
        default=False, help_text="The customer's administrators may manage it on the storefront."
    )
    public = models.BooleanField(default=True, help_text="Visible to customers.")
    is_predefined = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "label"],
                condition=Q(customer__isnull=False),
                name="commerce_role_unique_label_per_customer",
            ),
            models.UniqueConstraint(
                fields=["label"], condition=Q(customer__isnull=True), name="commerce_role_unique_shared_label"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class CustomerUserRoleGrant(models.Model):
    role = models.ForeignKey(CustomerUserRole, on_delete=models.CASCADE, related_name="grants")
    entity = models.CharField(max_length=100)
    action = models.CharField(max_length=30)
    level = models.PositiveSmallIntegerField(choices=StorefrontLevel.choices, default=StorefrontLevel.NONE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["role", "entity", "action"], name="commerce_role_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.role_id}:{self.entity}:{self.action}={self.level}"


class CustomerUser(OwnedModel):
    """A buyer of a customer. Not a console user: the storefront authenticates it on its own."""

    email = models.CharField(max_length=255)
    email_lower = models.CharField(max_length=255, unique=True, editable=False)
    name_prefix = models.CharField(max_length=64, blank=True)
    first_name = models.CharField(max_length=255)
    middle_name = models.CharField(max_length=255, blank=True)
    last_name = models.CharField(max_length=255)
    name_suffix = models.CharField(max_length=64, blank=True)
    birthday = models.DateField(null=True, blank=True)
    customer = models.ForeignKey("commerce.Customer", on_delete=models.PROTECT, related_name="users")
    roles = models.ManyToManyField(CustomerUserRole, related_name="users")
    enabled = models.BooleanField(default=True, db_index=True)
    confirmed = models.BooleanField(default=True)
    is_guest = models.BooleanField(default=False)
    password = models.CharField(max_length=128, blank=True)
    last_login = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        # The console grid's default order (and the API's `sort=last_name`): without it a page of 25
        # sorted all 300,000 users of scale 10 (200 ms).
        indexes = [models.Index(fields=["last_name", "id"], name="commerce_cu_last_name")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        parts = (self.name_prefix, self.first_name, self.middle_name, self.last_name, self.name_suffix)
        return " ".join(p for p in parts if p)

    def set_password(self, raw: str | None) -> None:
        """Hash and store; None leaves an unusable password (an invited or guest user)."""
        self.password = make_password(raw)

    def check_password(self, raw: str) -> bool:
        def upgrade(new_raw: Any) -> None:
            self.set_password(new_raw)
            self.save(update_fields=["password"])

        return check_password(raw, self.password, upgrade)
