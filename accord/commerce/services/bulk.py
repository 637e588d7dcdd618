"""Bulk creation of customers and customer users (imports, generated data) in a few statements.

The rules are those of `customer_create` and `customer_user_create`; the rows are validated
first, then written level by level with set-based INSERTs and UPDATEs (`path`, `root`,
`depth` from the parent's in one statement per depth), never a loop of single saves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from accord.commerce import signals
from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, EntryPoint
from accord.commerce.services._common import actor_id, clean_name
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.rows import instances_insert
from accord.platform.search import search_index_add, search_index_update

BATCH = 1000


def _check_rows(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Depth of each row; a parent must be an earlier row (so no cycle can be written)."""
    depths: list[int] = []
    errors: dict[str, str] = {}
    for n, row in enumerate(rows):
        parent = row.get("parent")
        if parent is not None and not (isinstance(parent, int) and 0 <= parent < n):
            errors[f"rows[{n}].parent"] = "The parent must be an earlier row."
            depths.append(0)
            continue
        depths.append(0 if parent is None else depths[parent] + 1)
        if not str(row.get("name") or "").strip():
            errors[f"rows[{n}].name"] = "A name is required."
    if errors:
        raise ValidationFailed(errors)
    return depths


def _derive_paths(ids_by_depth: dict[int, list[int]]) -> None:
    """Set path/root/depth one depth at a time from the parents' stored values."""
    as_text = Cast("id", output_field=CharField())
    for depth in sorted(ids_by_depth):
        for start in range(0, len(ids_by_depth[depth]), BATCH):
            ids = ids_by_depth[depth][start : start + BATCH]
            if depth == 0:
                Customer.objects.filter(pk__in=ids).update(
                    path=Concat(Value("/"), as_text, Value("/")), root_id=F("id"), depth=0
                )
                continue
            parent = Customer.objects.filter(pk=OuterRef("parent_id"))
            Customer.objects.filter(pk__in=ids).update(
                path=Concat(Subquery(parent.values("path")[:1]), as_text, Value("/")),
                root_id=Subquery(parent.values("root_id")[:1]),
                depth=depth,
            )


def _customer(row: Mapping[str, Any], parent: Customer | None, owner: User) -> Customer:
    group = row.get("group")
    return Customer(
        name=clean_name(row["name"]),
        parent=parent,
        group=group,
        payment_term=row.get("payment_term") or (group.payment_term if group else ""),
        tax_code=group.tax_code if group else "",
        owner=owner,
        business_unit=owner.business_unit,
        organization=owner.organization,
    )


def customers_bulk_create(
    *, rows: Sequence[Mapping[str, Any]], owner: User, entry_point: str, actor: Any
) -> list[Customer]:
    """Create customers; each row: name, parent (index of an earlier row or None), group, payment_term."""
    if entry_point not in EntryPoint.values:
        raise ValueError(f"Unknown entry point {entry_point!r}")
    depths = _check_rows(rows)
    by_row: dict[int, Customer] = {}
    ids_by_depth: dict[int, list[int]] = {}
    with transaction.atomic():
        for depth in sorted(set(depths)):
            numbers = [n for n in range(len(rows)) if depths[n] == depth]
            batch = [_customer(rows[n], by_row.get(rows[n].get("parent", -1)), owner) for n in numbers]
            instances_insert(batch)
            by_row.update(zip(numbers, batch, strict=True))
            ids_by_depth[depth] = [c.pk for c in batch]
        _derive_paths(ids_by_depth)
        fresh = Customer.objects.in_bulk([c.pk for c in by_row.values()])
        customers = [fresh[by_row[n].pk] for n in range(len(rows))]
        audit.record_bulk_create(instances=customers, actor=actor)
        search_index_add(entity="commerce.customer", ids=[c.pk for c in customers])
        signals.announce(
            signals.customers_bulk_created,
            Customer,
            customer_ids=[c.pk for c in customers],
            entry_point=entry_point,
            actor_id=actor_id(actor),
        )
    return customers


def customer_users_bulk_create(
    *, rows: Sequence[Mapping[str, Any]], password: str | None, owner: User, entry_point: str, actor: Any
) -> list[CustomerUser]:
    """Create customer users; each row: email, first_name, last_name, customer, roles; one hash for all."""
    hashed = make_password(password)
    emails = [str(row.get("email") or "").strip() for row in rows]
    errors: dict[str, str] = {}
    seen: set[str] = set()
    taken = set(
        CustomerUser.objects.filter(email_lower__in=[e.lower() for e in emails]).values_list(
            "email_lower", flat=True
        )
    )
    for n, email in enumerate(emails):
        if "@" not in email or email.lower() in seen or email.lower() in taken:
            errors[f"rows[{n}].email"] = "A valid email that no other customer user has is required."
        seen.add(email.lower())
        if not rows[n].get("roles"):
            errors[f"rows[{n}].role_ids"] = "At least one role is required."
    if errors:
        raise ValidationFailed(errors)
    users = [
        CustomerUser(
            email=email,
            email_lower=email.lower(),
            first_name=clean_name(row["first_name"], field="first_name", label="A first name"),
            last_name=clean_name(row["last_name"], field="last_name", label="A last name"),
            customer=row["customer"],
            password=hashed,
            owner=owner,
            business_unit=owner.business_unit,
            organization=owner.organization,
        )
        for email, row in zip(emails, rows, strict=True)
    ]
    with transaction.atomic():
        instances_insert(users)
        links = [
            CustomerUser.roles.through(customeruser_id=user.pk, customeruserrole_id=role.pk)
            for user, row in zip(users, rows, strict=True)
            for role in row["roles"]
        ]
        instances_insert(links)
        audit.record_bulk_create(instances=users, actor=actor)
        search_index_update(entity="commerce.customer_user", ids=[u.pk for u in users])
    return users


def roles_by_code(*codes: str) -> list[CustomerUserRole]:
    return list(CustomerUserRole.objects.filter(role__in=codes))
