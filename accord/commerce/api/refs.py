"""Turning `<name>_id` / `<name>_ids` input into records the caller may see (else 422 on the field)."""

from __future__ import annotations

from typing import Any

from accord.commerce.models import Customer, CustomerGroup, CustomerUserRole
from accord.commerce.selectors.customers import roles_in_organization
from accord.platform import acl
from accord.platform.errors import ValidationFailed
from accord.platform.models import User


def customer_ref(user: Any, pk: int | None, field: str) -> Customer | None:
    if pk is None:
        return None
    found = acl.visible(user, "commerce.customer").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: f"Customer {pk} does not exist."})
    return found


def group_ref(user: Any, pk: int | None, field: str = "group_id") -> CustomerGroup | None:
    if pk is None:
        return None
    found = acl.visible(user, "commerce.customer_group").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: f"Customer group {pk} does not exist."})
    return found


def users_ref(user: Any, ids: list[int], field: str) -> list[User]:
    found = list(User.objects.filter(pk__in=ids, organization_id=user.organization_id))
    missing = sorted(set(ids) - {u.pk for u in found})
    if missing:
        raise ValidationFailed({field: f"Unknown user(s): {', '.join(map(str, missing))}."})
    return found


def owner_ref(user: Any, entity: str, pk: int | None, record: Any = None) -> User | None:
    """The new owner; handing a record to someone other than the caller needs the assign grant."""
    if pk is None or (record is not None and pk == record.owner_id):
        return None
    owner = users_ref(user, [pk], "owner_id")[0]
    if record is not None or owner.pk != user.pk:
        acl.require(user, entity, "assign", record)
    return owner


def roles_ref(user: Any, ids: list[int], field: str = "role_ids") -> list[CustomerUserRole]:
    found = list(roles_in_organization(user.organization_id).filter(pk__in=ids))
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        raise ValidationFailed({field: f"Unknown role(s): {', '.join(map(str, missing))}."})
    return found


def amount_in(value: Any, currency: str, field: str) -> Any:
    """The amount of a `{"amount", "currency"}` input, refused on `<field>.currency` unless it is in
    the document's currency (orders, their lines, batches)."""
    if value is None:
        return None
    if value.currency.upper() != currency.upper():
        raise ValidationFailed({f"{field}.currency": "Use the order's currency."})
    return value.amount
