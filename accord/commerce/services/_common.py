"""Small validation helpers shared by the commerce services."""

from __future__ import annotations

from typing import Any

from accord.platform.errors import ValidationFailed
from accord.platform.models import User


def clean_name(value: str | None, *, field: str = "name", label: str = "A name") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed({field: f"{label} is required."})
    if len(value) > 255:
        raise ValidationFailed({field: "At most 255 characters."})
    return value


def clean_choice(value: str | None, choices: Any, field: str) -> str:
    value = (value or "").strip()
    if value and value not in choices.values:
        raise ValidationFailed({field: f"Choose one of: {', '.join(choices.values)}."})
    return value


def owner_for(*, owner: User | None, actor: Any, field: str = "owner_id") -> User:
    """The owner of a new record: the one given, else the acting console user."""
    chosen = owner if owner is not None else (actor if getattr(actor, "pk", None) else None)
    if chosen is None:
        raise ValidationFailed({field: "An owner is required."})
    if chosen.business_unit_id is None or chosen.organization_id is None:
        raise ValidationFailed({field: "The owner has no business unit."})
    if getattr(actor, "pk", None) and actor.organization_id != chosen.organization_id:
        raise ValidationFailed({field: "The owner belongs to another organization."})
    return chosen


def set_owner(record: Any, owner: User) -> None:
    record.owner = owner
    record.business_unit_id = owner.business_unit_id
    record.organization_id = owner.organization_id


def actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)
