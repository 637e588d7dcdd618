"""Small validation helpers shared by the CRM services."""

from __future__ import annotations

from typing import Any

from accord.platform.errors import ValidationFailed
from accord.platform.models import User

KEEP: Any = ...  # "not given", for arguments where None is a value


def clean_text(value: str | None, *, field: str, limit: int = 255, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: required})
    if len(value) > limit:
        raise ValidationFailed({field: f"At most {limit} characters."})
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


def check_same_org(organization_id: int | None, **records: Any) -> None:
    """Each record given (or each of a list) must belong to the organization."""
    for field, value in records.items():
        for record in value if isinstance(value, list | tuple) else [value]:
            if record is not None and record.organization_id != organization_id:
                raise ValidationFailed({field: f"{record} belongs to another organization."})


def ids(records: Any) -> list[int]:
    return sorted(int(r.pk) for r in records)
