"""Contact groups: plain labels, unique per organization; two exist in every organization."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.crm.models import ContactGroup
from accord.crm.services._common import check_same_org, owner_for, set_owner
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import BusinessUnit, Organization, User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.contact_group"

DEFAULT_GROUPS = ("Sales Group", "Marketing Group")


def contact_groups_ensure_defaults(
    *, organization: Organization, unit: BusinessUnit | None = None, using: str = "default"
) -> int:
    """Create the default groups the organization lacks (idempotent), owned by its top business
    unit; returns how many were created."""
    if unit is None:
        unit = (
            BusinessUnit.objects.using(using)
            .filter(organization=organization, parent__isnull=True)
            .order_by("id")
            .first()
        )
    if unit is None:
        return 0
    with transaction.atomic(using=using):
        existing = set(
            ContactGroup.objects.using(using)
            .filter(organization=organization, label__in=DEFAULT_GROUPS)
            .values_list("label", flat=True)
        )
        missing = [label for label in DEFAULT_GROUPS if label not in existing]
        created = ContactGroup.objects.using(using).bulk_create(
            ContactGroup(label=label, organization=organization, business_unit=unit) for label in missing
        )
        if using == "default":
            search_index_update(entity=ENTITY, ids=[group.pk for group in created])
    return len(created)


def contact_groups_on_new_organization(*, organization: Organization, unit: BusinessUnit) -> None:
    """oro-spec #7 for organizations created after install: called when the top unit is created."""
    contact_groups_ensure_defaults(organization=organization, unit=unit)


def _clean_label(label: str | None, organization_id: Any, exclude_pk: int | None) -> str:
    """oro-spec #7: 3 to 255 characters, unique in the organization (ignoring case)."""
    label = (label or "").strip()
    if len(label) < 3:
        raise ValidationFailed({"label": "At least 3 characters."})
    if len(label) > 255:
        raise ValidationFailed({"label": "At most 255 characters."})
    clash = ContactGroup.objects.filter(organization_id=organization_id, label__iexact=label)
    if clash.exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"label": "A contact group with this label already exists."})
    return label


def contact_group_create(*, label: str, actor: Any, owner: User | None = None) -> ContactGroup:
    owner = owner_for(owner=owner, actor=actor)
    with transaction.atomic():
        group = ContactGroup(label=_clean_label(label, owner.organization_id, None))
        set_owner(group, owner)
        group.save()
        audit.record_create(instance=group, actor=actor)
        search_index_update(entity=ENTITY, ids=[group.pk])
    return group


def contact_group_update(
    *, group: ContactGroup, actor: Any, label: str | None = None, owner: User | None = None
) -> ContactGroup:
    check_same_org(group.organization_id, owner_id=owner)
    with transaction.atomic():
        group = ContactGroup.objects.select_for_update().get(pk=group.pk)
        with audit.tracking(group, actor=actor):
            if label is not None:
                group.label = _clean_label(label, group.organization_id, group.pk)
            if owner is not None:
                set_owner(group, owner_for(owner=owner, actor=actor))
            group.save()
        search_index_update(entity=ENTITY, ids=[group.pk])
    return group


def contact_group_delete(*, group: ContactGroup, actor: Any) -> None:
    """oro-spec #8: only the memberships go; the contacts stay."""
    with transaction.atomic():
        audit.record_delete(instance=group, actor=actor)
        pk = group.pk
        group.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
