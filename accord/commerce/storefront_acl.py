"""Storefront ACL: which records a customer user may see or change, from its roles' grants.

Levels per entity and action (`StorefrontLevel`): None; User (Own) = records the customer user
owns; Department (Same Level) = records of its customer; Corporate (All Levels) = records of
its customer and every descendant customer (one `path` prefix query). Never upward to a parent
or an ancestor, never sideways to a sibling. Entities owned by a customer (customers, customer
users, roles, customer addresses) have no "own" records, so they offer Department and Corporate
only. Every storefront page and storefront API endpoint asks this module; nothing filters by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet

from accord.commerce.models import Customer, CustomerUser, CustomerUserRoleGrant, StorefrontLevel
from accord.commerce.models.customers import subtree_q
from accord.platform.errors import ValidationFailed

ACTIONS = ("view", "create", "edit", "delete")
OWNED_BY_USER = "customer_user"
OWNED_BY_CUSTOMER = "customer"


@dataclass(frozen=True)
class StorefrontEntity:
    key: str
    label: str
    owned_by: str  # OWNED_BY_USER | OWNED_BY_CUSTOMER
    customer_field: str  # ORM path to the id of the customer the record belongs to
    owner_field: str | None = None  # ORM path to the owning customer user's id (user-owned only)
    shared: Q | None = None  # records every customer user may see at any level but None (shared)
    restrict: Q | None = None  # records no customer user sees, whatever the level

    @property
    def levels(self) -> tuple[StorefrontLevel, ...]:
        if self.owned_by == OWNED_BY_CUSTOMER:
            return (StorefrontLevel.NONE, StorefrontLevel.DEPARTMENT, StorefrontLevel.CORPORATE)
        return tuple(StorefrontLevel)


def _document(key: str, label: str) -> StorefrontEntity:
    """A storefront document: owned by a customer user, belonging to its customer."""
    return StorefrontEntity(key, label, OWNED_BY_USER, "customer_id", "customer_user_id")


ENTITIES: dict[str, StorefrontEntity] = {
    e.key: e
    for e in (
        StorefrontEntity("commerce.customer", "Customer", OWNED_BY_CUSTOMER, "id"),
        StorefrontEntity("commerce.customer_address", "Customer address", OWNED_BY_CUSTOMER, "customer_id"),
        StorefrontEntity("commerce.customer_user", "Customer user", OWNED_BY_CUSTOMER, "customer_id"),
        StorefrontEntity(
            "commerce.customer_user_address",
            "Customer user address",
            OWNED_BY_USER,
            "customer_user__customer_id",
            "customer_user_id",
        ),
        StorefrontEntity(
            "commerce.customer_user_role",
            "Customer user role",
            OWNED_BY_CUSTOMER,
            "customer_id",
            shared=Q(customer__isnull=True, public=True),
            restrict=Q(public=True),
        ),
        _document("commerce.shopping_list", "Shopping list"),
        _document("commerce.rfq", "Request for quote"),
        _document("commerce.quote", "Quote"),
        _document("commerce.order", "Order"),
    )
}

_GRANTS_ATTR = "_storefront_grants"


def entity(key: str) -> StorefrontEntity:
    try:
        return ENTITIES[key]
    except KeyError:
        raise KeyError(f"{key!r} is not a storefront entity") from None


def clean_grants(grants: Mapping[str, Mapping[str, int]]) -> dict[tuple[str, str], int]:
    """Check a grant matrix ({entity: {action: level}}) and flatten it, or raise naming the cell."""
    errors: dict[str, str] = {}
    flat: dict[tuple[str, str], int] = {}
    for key, actions in grants.items():
        definition = ENTITIES.get(key)
        if definition is None:
            errors[f"grants.{key}"] = "Not a storefront entity."
            continue
        for action, raw in actions.items():
            field = f"grants.{key}.{action}"
            if action not in ACTIONS:
                errors[field] = f"Not an action; choose one of: {', '.join(ACTIONS)}."
                continue
            try:
                level = StorefrontLevel(int(raw))
            except (TypeError, ValueError):
                errors[field] = "Not an access level."
                continue
            if level not in definition.levels:
                allowed = ", ".join(lvl.label for lvl in definition.levels)
                errors[field] = f"{definition.label} records offer only: {allowed}."
                continue
            flat[(key, action)] = level
    if errors:
        raise ValidationFailed(errors)
    return flat


def _grants(customer_user: CustomerUser) -> dict[tuple[str, str], int]:
    grants = getattr(customer_user, _GRANTS_ATTR, None)
    if grants is None:
        grants = {}
        rows = CustomerUserRoleGrant.objects.filter(role__users=customer_user).values_list(
            "entity", "action", "level"
        )
        for key, action, level in rows:
            grants[(key, action)] = max(grants.get((key, action), 0), level)
        setattr(customer_user, _GRANTS_ATTR, grants)
    return grants


def forget(customer_user: CustomerUser) -> None:
    """Drop the cached grants (after the user's roles or their grants changed)."""
    if hasattr(customer_user, _GRANTS_ATTR):
        delattr(customer_user, _GRANTS_ATTR)


def level_for(customer_user: CustomerUser, key: str, action: str) -> StorefrontLevel:
    definition = entity(key)
    if not customer_user.enabled or customer_user.pk is None:
        return StorefrontLevel.NONE
    level = StorefrontLevel(_grants(customer_user).get((key, action), StorefrontLevel.NONE))
    if level not in definition.levels:  # never stored (services validate); refuse rather than guess
        return StorefrontLevel.NONE
    return level


def visible_customer_ids(customer_user: CustomerUser, key: str, action: str) -> QuerySet[Any]:
    """The ids of the customers whose records the user reaches (a lazy query, usable as a subquery).

    User and Department: its own customer; Corporate: its customer and every descendant.
    """
    level = level_for(customer_user, key, action)
    customers = Customer.objects.all()
    if level == StorefrontLevel.NONE:
        return customers.none().values_list("id", flat=True)
    if level == StorefrontLevel.CORPORATE:
        # The path as a literal (the storefront loads the user with its customer): an index range,
        # where a prefix taken from a subquery made every request scan all customers.
        own_path = customer_user.customer.path
        return customers.filter(subtree_q(own_path)).order_by().values_list("id", flat=True)
    return customers.filter(pk=customer_user.customer_id).order_by().values_list("id", flat=True)


def q_for(customer_user: CustomerUser, key: str, action: str) -> Q | None:
    """A filter for the records of an entity the user may act on, or None for none."""
    definition = entity(key)
    level = level_for(customer_user, key, action)
    if level == StorefrontLevel.NONE:
        return None
    if level == StorefrontLevel.USER:
        assert definition.owner_field is not None
        q = Q(**{definition.owner_field: customer_user.pk})
    else:
        q = Q(**{f"{definition.customer_field}__in": visible_customer_ids(customer_user, key, action)})
    if definition.shared is not None:
        q |= definition.shared
    if definition.restrict is not None:
        q &= definition.restrict
    return q


def filter_queryset(
    customer_user: CustomerUser, key: str, action: str, queryset: QuerySet[Any]
) -> QuerySet[Any]:
    q = q_for(customer_user, key, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def can(customer_user: CustomerUser, key: str, action: str, record: models.Model | None = None) -> bool:
    """May the user do this action on this record (or on some record, when none is given)?"""
    if record is None:
        return level_for(customer_user, key, action) != StorefrontLevel.NONE
    queryset = type(record)._default_manager.filter(pk=record.pk)
    return filter_queryset(customer_user, key, action, queryset).exists()
