"""Customers: create, edit, move (with the whole subtree) and delete (children become roots).

`path`, `root` and `depth` are derived from the parent links and maintained here with
set-based UPDATEs, never a loop of saves. A customer can never become its own ancestor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import BigIntegerField, F, Value
from django.db.models.functions import Cast, Concat, StrIndex, Substr

from accord.commerce import signals
from accord.commerce.models import (
    Customer,
    CustomerAddress,
    CustomerGroup,
    CustomerUser,
    EntryPoint,
    InternalRating,
    PaymentTerm,
)
from accord.commerce.services._common import actor_id, clean_choice, clean_name, owner_for, set_owner
from accord.commerce.services.addresses import clean_addresses, replace_addresses
from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "commerce.customer"
KEEP: Any = ...  # "not given" for arguments where None is a value (parent, group, external_id)


def _clean_external_id(value: str | None, exclude_pk: int | None = None) -> str | None:
    value = (value or "").strip() or None
    if value is None:
        return None
    if len(value) > 255:
        raise ValidationFailed({"external_id": "At most 255 characters."})
    if Customer.objects.filter(external_id=value).exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"external_id": "Another customer has this external id."})
    return value


def _check_same_org(organization_id: int | None, **records: Any) -> None:
    for field, record in records.items():
        if record is not None and record.organization_id != organization_id:
            raise ValidationFailed({field: "It belongs to another organization."})


def _check_reps(organization_id: int | None, reps: Sequence[User]) -> list[User]:
    for rep in reps:
        if rep.organization_id != organization_id:
            raise ValidationFailed({"sales_representative_ids": f"User {rep.pk} is in another organization."})
    return list(reps)


def customer_create(
    *,
    name: str,
    parent: Customer | None = None,
    group: CustomerGroup | None = None,
    owner: User | None = None,
    sales_representatives: Sequence[User] = (),
    internal_rating: str = "",
    payment_term: str = "",
    tax_code: str = "",
    external_id: str | None = None,
    addresses: Sequence[Mapping[str, Any]] = (),
    entry_point: str,
    actor: Any,
) -> Customer:
    """Create a customer; an empty payment term or tax code is taken from the group."""
    if entry_point not in EntryPoint.values:
        raise ValueError(f"Unknown entry point {entry_point!r}")
    name = clean_name(name)
    owner = owner_for(owner=owner, actor=actor)
    _check_same_org(owner.organization_id, parent_id=parent, group_id=group)
    reps = _check_reps(owner.organization_id, sales_representatives)
    rating = clean_choice(internal_rating, InternalRating, "internal_rating")
    term = clean_choice(payment_term, PaymentTerm, "payment_term") or (group.payment_term if group else "")
    tax = (tax_code or "").strip() or (group.tax_code if group else "")
    rows = clean_addresses(addresses)
    with transaction.atomic():
        external = _clean_external_id(external_id)
        if parent is not None:
            parent = Customer.objects.select_for_update().get(pk=parent.pk)
        customer = Customer(
            name=name,
            parent=parent,
            group=group,
            internal_rating=rating,
            payment_term=term,
            tax_code=tax[:64],
            external_id=external,
        )
        set_owner(customer, owner)
        customer.save()
        customer.path = f"{parent.path if parent else '/'}{customer.pk}/"
        customer.root_id = parent.root_id if parent else customer.pk
        customer.depth = parent.depth + 1 if parent else 0
        Customer.objects.filter(pk=customer.pk).update(
            path=customer.path, root_id=customer.root_id, depth=customer.depth
        )
        if reps:
            customer.sales_representatives.set(reps)
        if rows:
            replace_addresses(model=CustomerAddress, owner_field="customer", owner=customer, rows=rows)
        audit.record_create(
            instance=customer,
            actor=actor,
            extra={"sales_representatives": sorted(r.pk for r in reps), "addresses": len(rows)},
        )
        search_index_update(entity=ENTITY, ids=[customer.pk])
        signals.announce(
            signals.customer_created,
            Customer,
            customer_id=customer.pk,
            parent_id=customer.parent_id,
            root_id=customer.root_id,
            entry_point=entry_point,
            actor_id=actor_id(actor),
        )
    return customer


def customer_update(
    *,
    customer: Customer,
    actor: Any,
    name: str | None = None,
    parent: Customer | None = KEEP,
    group: CustomerGroup | None = KEEP,
    owner: User | None = None,
    sales_representatives: Sequence[User] | None = None,
    internal_rating: str | None = None,
    payment_term: str | None = None,
    tax_code: str | None = None,
    external_id: str | None = KEEP,
    addresses: Sequence[Mapping[str, Any]] | None = None,
) -> Customer:
    """Change the fields given (None or KEEP leaves a field); a new parent moves the subtree."""
    rows = clean_addresses(addresses) if addresses is not None else None
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        org_id = customer.organization_id
        old_name = customer.name
        with audit.tracking(customer, actor=actor) as extra:
            if name is not None:
                customer.name = clean_name(name)
            if group is not KEEP:
                _check_same_org(org_id, group_id=group)
                customer.group = group
            if owner is not None:
                _check_same_org(org_id, owner_id=owner)
                set_owner(customer, owner)
            if internal_rating is not None:
                customer.internal_rating = clean_choice(internal_rating, InternalRating, "internal_rating")
            if payment_term is not None:
                customer.payment_term = clean_choice(payment_term, PaymentTerm, "payment_term")
            if tax_code is not None:
                customer.tax_code = tax_code.strip()[:64]
            if external_id is not KEEP:
                customer.external_id = _clean_external_id(external_id, exclude_pk=customer.pk)
            moved = _move(customer, parent, actor) if parent is not KEEP else None
            customer.save()
            if sales_representatives is not None:
                old = sorted(customer.sales_representatives.values_list("id", flat=True))
                customer.sales_representatives.set(_check_reps(org_id, sales_representatives))
                new = sorted(r.pk for r in sales_representatives)
                if old != new:
                    extra["sales_representatives"] = {"old": old, "new": new}
            if rows is not None:
                change = replace_addresses(
                    model=CustomerAddress, owner_field="customer", owner=customer, rows=rows
                )
                if change:
                    extra["addresses"] = change
        search_index_update(entity=ENTITY, ids=[customer.pk])
        if customer.name != old_name:  # children are found by their parent's name
            children = Customer.objects.filter(parent_id=customer.pk).values_list("pk", flat=True)
            search_index_update(entity=ENTITY, ids=children)
        if moved:
            signals.announce(signals.customer_moved, Customer, **moved)
    return customer


def customer_move(*, customer: Customer, parent: Customer | None, actor: Any) -> Customer:
    """Put a customer (and its whole subtree) under another parent, or make it a root."""
    return customer_update(customer=customer, parent=parent, actor=actor)


def _move(customer: Customer, parent: Customer | None, actor: Any) -> dict[str, Any] | None:
    """Re-link the subtree (one UPDATE); the event's kwargs, or None when the parent is unchanged."""
    if parent is not None:
        parent = Customer.objects.select_for_update().filter(pk=parent.pk).first()
        if parent is None:
            raise ValidationFailed({"parent_id": "The parent customer does not exist."})
        _check_same_org(customer.organization_id, parent_id=parent)
        if parent.path.startswith(customer.path):
            what = "itself" if parent.pk == customer.pk else "one of its descendants"
            raise ValidationFailed({"parent_id": f"A customer cannot be placed under {what}."})
    new_parent_id = parent.pk if parent else None
    if new_parent_id == customer.parent_id:
        return None
    old_path, old_root_id, old_parent_id = customer.path, customer.root_id, customer.parent_id
    new_path = f"{parent.path if parent else '/'}{customer.pk}/"
    new_root_id = parent.root_id if parent else customer.pk
    delta = (parent.depth + 1 if parent else 0) - customer.depth
    subtree = Customer.objects.filter(path__startswith=old_path)
    subtree_ids = list(subtree.order_by("path").values_list("id", flat=True))
    subtree.update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1)),
        root_id=new_root_id,
        depth=F("depth") + delta,
    )
    customer.parent = parent
    customer.path, customer.root_id, customer.depth = new_path, new_root_id, customer.depth + delta
    return {
        "customer_id": customer.pk,
        "old_parent_id": old_parent_id,
        "new_parent_id": new_parent_id,
        "old_root_id": old_root_id,
        "new_root_id": new_root_id,
        "subtree_ids": subtree_ids,
        "actor_id": actor_id(actor),
    }


def _has_documents(customer_id: int) -> bool:
    from accord.commerce.models import Order, Quote, Rfq, ShoppingList

    return any(m.objects.filter(customer_id=customer_id).exists() for m in (Order, Quote, Rfq, ShoppingList))


def customer_delete(*, customer: Customer, actor: Any) -> None:
    """Delete a customer without users; each child becomes the root of its own subtree."""
    with transaction.atomic():
        customer = Customer.objects.select_for_update().get(pk=customer.pk)
        users = CustomerUser.objects.filter(customer=customer).count()
        if users:
            raise Conflict(f"{users} customer user(s) belong to this customer; move or delete them first.")
        if _has_documents(customer.pk):
            raise Conflict(
                "This customer has orders, quotes, RFQs or shopping lists; move or delete them first."
            )
        children = list(Customer.objects.filter(parent=customer).order_by("pk"))
        offset = len(customer.path)
        rest = Substr(F("path"), offset + 1)  # "child/grandchild/" under the deleted customer
        Customer.objects.filter(path__startswith=customer.path).exclude(pk=customer.pk).update(
            path=Concat(Value("/"), rest),
            depth=F("depth") - (customer.depth + 1),
            root_id=Cast(Substr(F("path"), offset + 1, StrIndex(rest, Value("/")) - 1), BigIntegerField()),
        )
        Customer.objects.filter(parent=customer).update(parent=None)
        for child in children:
            before = audit.snapshot(child)
            child.parent = None
            audit.record_update(instance=child, actor=actor, before=before)
        event = {
            "customer_id": customer.pk,
            "parent_id": customer.parent_id,
            "root_id": customer.root_id,
            "former_children_ids": [c.pk for c in children],
            "name": customer.name,
            "actor_id": actor_id(actor),
        }
        audit.record_delete(instance=customer, actor=actor)
        pk = customer.pk
        customer.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
        signals.announce(signals.customer_deleted, Customer, **event)
