"""Organizations and business units."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import BusinessUnit, Organization, User
from accord.platform.registries import organization_setups


def organization_get_or_create_default(*, name: str = "Accord") -> Organization:
    """The organization a fresh install works in."""
    organization = Organization.objects.order_by("id").first()
    if organization is None:
        organization = Organization.objects.create(name=name)
    return organization


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": "A name is required."})
    if len(name) > 255:
        raise ValidationFailed({"name": "At most 255 characters."})
    return name


def business_unit_create(
    *,
    organization: Organization,
    name: str,
    parent: BusinessUnit | None = None,
    email: str = "",
    phone: str = "",
    actor: Any = None,
) -> BusinessUnit:
    name = _clean_name(name)
    if parent is not None and parent.organization_id != organization.pk:
        raise ValidationFailed({"parent_id": "The parent belongs to another organization."})
    with transaction.atomic():
        if BusinessUnit.objects.filter(organization=organization, name__iexact=name).exists():
            raise ValidationFailed({"name": "A business unit with this name already exists."})
        unit = BusinessUnit.objects.create(
            organization=organization, name=name, parent=parent, email=email, phone=phone
        )
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        audit.record_create(instance=unit, actor=actor)
        if parent is None:  # the organization can own records now: modules give it their defaults
            for setup in organization_setups:
                setup.run(organization=organization, unit=unit)
    return unit


def business_unit_update(
    *,
    unit: BusinessUnit,
    name: str | None = None,
    parent: BusinessUnit | None | Any = ...,
    email: str | None = None,
    phone: str | None = None,
    actor: Any = None,
) -> BusinessUnit:
    """Edit a unit; moving it under another parent moves its whole subtree in one statement."""
    with transaction.atomic():
        unit = BusinessUnit.objects.select_for_update().get(pk=unit.pk)
        before = audit.snapshot(unit)
        if name is not None:
            name = _clean_name(name)
            clash = BusinessUnit.objects.filter(organization_id=unit.organization_id, name__iexact=name)
            if clash.exclude(pk=unit.pk).exists():
                raise ValidationFailed({"name": "A business unit with this name already exists."})
            unit.name = name
        if email is not None:
            unit.email = email
        if phone is not None:
            unit.phone = phone
        if parent is not ...:
            _move(unit, parent)
        unit.save()
        audit.record_update(instance=unit, actor=actor, before=before)
    return unit


def _move(unit: BusinessUnit, parent: BusinessUnit | None) -> None:
    if parent is not None:
        if parent.organization_id != unit.organization_id:
            raise ValidationFailed({"parent_id": "The parent belongs to another organization."})
        if parent.path.startswith(unit.path):
            raise ValidationFailed(
                {"parent_id": "A business unit cannot be placed under itself or its children."}
            )
    old_path = unit.path
    new_path = f"{parent.path if parent else '/'}{unit.pk}/"
    unit.parent = parent
    if new_path == old_path:
        return
    BusinessUnit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr(F("path"), len(old_path) + 1))
    )
    unit.path = new_path


def business_unit_delete(*, unit: BusinessUnit, actor: Any = None) -> None:
    """Delete an empty unit; one with users or child units is refused with the reason."""
    with transaction.atomic():
        if BusinessUnit.objects.filter(parent=unit).exists():
            raise Conflict("Move or delete its child business units first.")
        if User.objects.filter(business_unit=unit).exists():
            raise Conflict("Move its users to another business unit first.")
        audit.record_delete(instance=unit, actor=actor)
        try:
            unit.delete()
        except Exception as exc:  # ProtectedError: records are still owned by this unit
            from django.db.models import ProtectedError

            if isinstance(exc, ProtectedError):
                raise Conflict(
                    "Records are still owned by this business unit; reassign them first."
                ) from None
            raise
