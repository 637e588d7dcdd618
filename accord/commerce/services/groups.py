"""Customer groups: the defaults (payment term, tax code) their customers start from."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.commerce.models import Customer, CustomerGroup, PaymentTerm
from accord.commerce.services._common import clean_choice, clean_name, owner_for, set_owner
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "commerce.customer_group"


def _check_unique(organization_id: int, name: str, exclude_pk: int | None = None) -> None:
    clash = CustomerGroup.objects.filter(organization_id=organization_id, name__iexact=name)
    if clash.exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"name": "A customer group with this name already exists."})


def customer_group_create(
    *, name: str, payment_term: str = "", tax_code: str = "", owner: User | None = None, actor: Any
) -> CustomerGroup:
    name = clean_name(name)
    owner = owner_for(owner=owner, actor=actor)
    term = clean_choice(payment_term, PaymentTerm, "payment_term")
    with transaction.atomic():
        group = CustomerGroup(name=name, payment_term=term, tax_code=(tax_code or "").strip()[:64])
        set_owner(group, owner)
        _check_unique(group.organization_id, name)
        group.save()
        audit.record_create(instance=group, actor=actor)
        search_index_update(entity=ENTITY, ids=[group.pk])
    return group


def customer_group_update(
    *,
    group: CustomerGroup,
    actor: Any,
    name: str | None = None,
    payment_term: str | None = None,
    tax_code: str | None = None,
    owner: User | None = None,
) -> CustomerGroup:
    """Change a group; its customers keep the values they have (defaults apply when created)."""
    with transaction.atomic():
        group = CustomerGroup.objects.select_for_update().get(pk=group.pk)
        old_name = group.name
        with audit.tracking(group, actor=actor):
            if name is not None:
                group.name = clean_name(name)
                _check_unique(group.organization_id, group.name, exclude_pk=group.pk)
            if payment_term is not None:
                group.payment_term = clean_choice(payment_term, PaymentTerm, "payment_term")
            if tax_code is not None:
                group.tax_code = tax_code.strip()[:64]
            if owner is not None:
                if owner.organization_id != group.organization_id:
                    raise ValidationFailed({"owner_id": "The owner belongs to another organization."})
                set_owner(group, owner)
            group.save()
        search_index_update(entity=ENTITY, ids=[group.pk])
        if group.name != old_name:  # its customers are found by the group's name
            members = Customer.objects.filter(group_id=group.pk).values_list("pk", flat=True)
            search_index_update(entity="commerce.customer", ids=members)
    return group


def customer_group_delete(*, group: CustomerGroup, actor: Any) -> None:
    """Delete a group; its customers stay, without a group."""
    with transaction.atomic():
        audit.record_delete(instance=group, actor=actor)
        pk = group.pk
        group.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
