"""Small validation helpers shared by the commerce services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
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


class _StorefrontActor:
    """How a customer user appears in the audit: by name, with no console user behind it."""

    pk = None

    def __init__(self, customer_user: Any) -> None:
        self.label = f"{customer_user} (customer user #{customer_user.pk})"

    def __str__(self) -> str:
        return self.label


def audit_actor(actor: Any) -> Any:
    """The actor as the audit takes it: a console user, None (system), or a labelled customer user."""
    if actor is None or isinstance(actor, User):
        return actor
    return _StorefrontActor(actor)


def console_actor_id(actor: Any) -> int | None:
    """The console user's id for events (None for the system and for customer users)."""
    return actor.pk if isinstance(actor, User) else None


def clean_decimal(
    value: Any,
    *,
    field: str,
    places: int,
    minimum: Decimal = Decimal(0),
    strict: bool = False,
    digits: int = 14,
) -> Decimal:
    """A finite decimal with at most `places` decimals, >= minimum (> minimum when strict)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationFailed({field: "Not a number."}) from None
    if not number.is_finite():
        raise ValidationFailed({field: "Not a number."})
    if number < minimum or (strict and number == minimum):
        raise ValidationFailed({field: f"Must be greater than {'' if strict else 'or equal to '}{minimum}."})
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise ValidationFailed({field: f"At most {places} decimal places."})
    if abs(number) >= Decimal(10) ** digits:
        raise ValidationFailed({field: f"At most {digits} digits before the decimal point."})
    return number
