"""Customers in parent/child hierarchies, and the groups that carry their defaults."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models

from accord.commerce.models.choices import InternalRating, PaymentTerm
from accord.platform.models import OwnedModel


class CustomerGroup(OwnedModel):
    """A set of customers sharing defaults (payment term, tax code)."""

    name = models.CharField(max_length=255, db_index=True)
    payment_term = models.CharField(max_length=20, choices=PaymentTerm.choices, blank=True)
    tax_code = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="commerce_group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Customer(OwnedModel):
    """A company (or person) that buys.

    `path` ("/1/5/9/", the ids from the root down to this customer), `root` and `depth` are
    stored and kept on write by the services, so that a customer's subtree is one indexed
    prefix query (`path__startswith`) at any depth.
    """

    name = models.CharField(max_length=255, db_index=True)
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="children"
    )
    root = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    depth = models.PositiveIntegerField(default=0, editable=False, db_index=True)
    path = models.CharField(max_length=2048, db_index=True, editable=False, default="")
    group = models.ForeignKey(
        CustomerGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="customers"
    )
    sales_representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="commerce_customers"
    )
    internal_rating = models.CharField(max_length=10, choices=InternalRating.choices, blank=True)
    payment_term = models.CharField(max_length=20, choices=PaymentTerm.choices, blank=True)
    tax_code = models.CharField(max_length=64, blank=True)
    external_id = models.CharField(max_length=255, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent (from `path`)."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]


def subtree_q(path: str, field: str = "path") -> models.Q:
    """Customers whose `field` starts with `path` (a subtree), as a condition an index can answer.

    PostgreSQL answers `LIKE 'literal%'` from the `varchar_pattern_ops` index Django adds to `path`;
    SQLite's LIKE is case-insensitive and never uses an index, so there it is the equivalent range
    [path, path with its last character incremented) — exact under SQLite's bytewise comparison.
    """
    if not path:
        return models.Q(pk__in=[])
    if connection.vendor == "sqlite":
        upper = path[:-1] + chr(ord(path[-1]) + 1)
        return models.Q(**{f"{field}__gte": path, f"{field}__lt": upper})
    return models.Q(**{f"{field}__startswith": path})
