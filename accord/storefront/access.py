"""The storefront faces' door to `accord.commerce.storefront_acl`: every page and API endpoint
reads and changes records through these helpers, nothing filters by hand.

A record outside the user's view grant is "not found" (404: its existence does not leak); a
record the user sees but may not change answers 403 (decision 0042)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from accord.commerce import storefront_acl as sacl
from accord.commerce.models import Customer, CustomerUser
from accord.platform.errors import Forbidden, NotFound


def visible(customer_user: CustomerUser, key: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return sacl.filter_queryset(customer_user, key, "view", queryset)


def for_action(customer_user: CustomerUser, key: str, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    return sacl.filter_queryset(customer_user, key, action, queryset)


def get_visible_or_404(customer_user: CustomerUser, key: str, pk: Any, queryset: QuerySet[Any]) -> Any:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("Not found.") from None
    record = visible(customer_user, key, queryset).filter(pk=pk).first()
    if record is None:
        raise NotFound("Not found.")
    return record


def get_for_action(
    customer_user: CustomerUser, key: str, action: str, pk: Any, queryset: QuerySet[Any]
) -> Any:
    """The record for a change: 404 when the user does not see it, 403 when it may not change it."""
    record = get_visible_or_404(customer_user, key, pk, queryset)
    if not sacl.can(customer_user, key, action, record):
        raise Forbidden(f"Your role does not allow you to {action} this record.")
    return record


def require(customer_user: CustomerUser, key: str, action: str) -> None:
    """The user may do `action` on some records of the entity, or Forbidden."""
    if not sacl.can(customer_user, key, action):
        raise Forbidden(f"Your role does not allow you to {action} these records.")


def may(customer_user: CustomerUser, key: str, action: str, record: Model | None = None) -> bool:
    return sacl.can(customer_user, key, action, record)


def level_for(customer_user: CustomerUser, key: str, action: str) -> int:
    return int(sacl.level_for(customer_user, key, action))


def customers_for(customer_user: CustomerUser, key: str, action: str) -> QuerySet[Any]:
    """The customers on whose records the user may do `action` (own customer, or its subtree)."""
    return Customer.objects.filter(pk__in=sacl.visible_customer_ids(customer_user, key, action))
