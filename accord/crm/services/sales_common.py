"""Validation helpers shared by the sales services (business customers, leads, opportunities)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from accord.crm.models import Account, AddressKind, CustomerAssociation
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.money import rate_on, validate_currency

KEEP: Any = ...  # "not given" for arguments where None is a value


def clean_text(value: str | None, *, field: str, required: bool = False, max_length: int = 255) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: "This field is required."})
    if len(value) > max_length:
        raise ValidationFailed({field: f"At most {max_length} characters."})
    return value


def clean_choice(value: str | None, choices: Any, field: str, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: "This field is required."})
    if value and value not in choices.values:
        raise ValidationFailed({field: f"Choose one of: {', '.join(choices.values)}."})
    return value


def clean_money(
    amount: Any, currency: str | None, *, field: str, required: bool = False
) -> tuple[Decimal | None, str]:
    """(amount, currency) with amount ≥ 0, a known currency that has a rate; (None, "") when empty."""
    if amount is None or amount == "":
        if required:
            raise ValidationFailed({f"{field}.amount": "An amount is required."})
        return None, ""
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        raise ValidationFailed({f"{field}.amount": "Enter a number."}) from None
    if not value.is_finite() or value < 0:
        raise ValidationFailed({f"{field}.amount": "The amount cannot be negative."})
    if value >= Decimal(10) ** 16:
        raise ValidationFailed({f"{field}.amount": "The amount is too large."})
    code = validate_currency(currency, field=f"{field}.currency")
    try:
        rate_on(code)
    except ValidationFailed as exc:
        raise ValidationFailed({f"{field}.currency": exc.field_errors["currency"]}) from None
    return value.quantize(Decimal("0.01")), code


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
    for field, record in records.items():
        if record is not None and record.organization_id != organization_id:
            raise ValidationFailed({field: "It belongs to another organization."})


def association_org(association: CustomerAssociation) -> int:
    return Account.objects.values_list("organization_id", flat=True).get(pk=association.account_id)


def _clean_points(rows: Sequence[Mapping[str, Any]], field: str, key: str, max_length: int) -> list[dict]:
    cleaned = []
    for index, row in enumerate(rows):
        value = str(row.get(key) or "").strip()
        if not value:
            raise ValidationFailed({f"{field}.{index}.{key}": "This field is required."})
        if len(value) > max_length:
            raise ValidationFailed({f"{field}.{index}.{key}": f"At most {max_length} characters."})
        cleaned.append({key: value, "is_primary": bool(row.get("primary", row.get("is_primary")))})
    _one_primary(cleaned, field)
    return cleaned


def _one_primary(rows: list[dict], field: str) -> None:
    """oro-spec ContainsPrimary: a non-empty list has exactly one primary (the first one when none)."""
    primaries = [row for row in rows if row["is_primary"]]
    if len(primaries) > 1:
        raise ValidationFailed({field: "Only one item can be primary."})
    if rows and not primaries:
        rows[0]["is_primary"] = True


def clean_emails(rows: Sequence[Mapping[str, Any]] | None) -> list[dict] | None:
    if rows is None:
        return None
    cleaned = _clean_points(rows, "emails", "email", 255)
    for index, row in enumerate(cleaned):
        if "@" not in row["email"].strip("@"):
            raise ValidationFailed({f"emails.{index}.email": "Enter a valid email address."})
    return cleaned


def clean_phones(rows: Sequence[Mapping[str, Any]] | None) -> list[dict] | None:
    return None if rows is None else _clean_points(rows, "phones", "phone", 64)


ADDRESS_FIELDS = ("street", "street2", "city", "postal_code", "region", "country")


def clean_addresses(rows: Sequence[Mapping[str, Any]] | None, *, typed: bool) -> list[dict] | None:
    """Addresses; `typed` (business customers) allows one billing and one shipping address."""
    if rows is None:
        return None
    cleaned = []
    for index, row in enumerate(rows):
        item: dict[str, Any] = {name: str(row.get(name) or "").strip() for name in ADDRESS_FIELDS}
        for name in ("street", "city", "country"):
            if not item[name]:
                raise ValidationFailed({f"addresses.{index}.{name}": "This field is required."})
        item["country"] = item["country"].upper()
        if len(item["country"]) != 2 or not item["country"].isalpha():
            raise ValidationFailed({f"addresses.{index}.country": "Use an ISO 3166-1 alpha-2 code."})
        item["kind"] = clean_choice(row.get("kind") or "other", AddressKind, f"addresses.{index}.kind")
        item["is_primary"] = bool(row.get("primary", row.get("is_primary")))
        cleaned.append(item)
    if typed:
        kinds = [row["kind"] for row in cleaned]
        if any(kinds.count(kind) > 1 for kind in set(kinds)):
            raise ValidationFailed({"addresses": "At most one billing and one shipping address."})
    _one_primary(cleaned, "addresses")
    return cleaned


def replace_children(model: type[models.Model], parent_field: str, parent: Any, rows: list[dict]) -> bool:
    """Replace a record's emails/phones/addresses; True when something changed."""
    manager = model._default_manager
    current = list(manager.filter(**{parent_field: parent}).values(*rows[0].keys())) if rows else None
    if current is not None and current == rows:
        return False
    existed = manager.filter(**{parent_field: parent}).exists() if not rows else True
    manager.filter(**{parent_field: parent}).delete()
    manager.bulk_create(model(**{parent_field: parent}, **row) for row in rows)
    return bool(rows) or existed
