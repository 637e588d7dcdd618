"""Address lists of customers and customer users: replaced as a whole, one default per type."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from accord.commerce.models.addresses import ADDRESS_FIELDS, AddressBase
from accord.platform.errors import ValidationFailed

TYPES = ("billing", "shipping")
_REQUIRED = ("street", "city", "country")
_MAX = {"street": 500, "street2": 500, "postal_code": 32, "country": 2}


def clean_addresses(addresses: Iterable[Mapping[str, Any]], field: str = "addresses") -> list[dict[str, Any]]:
    """Check address input ({street, city, country, ..., types, default_types}) and flatten it."""
    errors: dict[str, str] = {}
    cleaned: list[dict[str, Any]] = []
    defaults_seen: dict[str, int] = {}
    for index, raw in enumerate(addresses):
        prefix = f"{field}.{index}"
        row: dict[str, Any] = {name: str(raw.get(name) or "").strip() for name in ADDRESS_FIELDS}
        row["country"] = row["country"].upper()
        for name in _REQUIRED:
            if not row[name]:
                errors[f"{prefix}.{name}"] = "This field is required."
        for name, limit in {**_MAX, "label": 255, "city": 255, "region": 255}.items():
            if len(row[name]) > limit:
                errors[f"{prefix}.{name}"] = f"At most {limit} characters."
        if row["country"] and (len(row["country"]) != 2 or not row["country"].isalpha()):
            errors[f"{prefix}.country"] = "A two-letter ISO 3166 country code."
        types = list(raw.get("types") or [])
        default_types = list(raw.get("default_types") or [])
        for name in (*types, *default_types):
            if name not in TYPES:
                errors[f"{prefix}.types"] = f"Address types are: {', '.join(TYPES)}."
        for name in TYPES:
            is_default = name in default_types
            if is_default and name not in types:
                errors[f"{prefix}.default_types"] = f"A default {name} address must be a {name} address."
            if is_default and name in defaults_seen:
                errors[f"{prefix}.default_types"] = f"Only one address can be the default {name} address."
            if is_default:
                defaults_seen[name] = index
            row[f"is_{name}"] = name in types
            row[f"is_default_{name}"] = is_default
        cleaned.append(row)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def describe(addresses: Iterable[AddressBase]) -> list[str]:
    """A stable, readable form of an address list for the audit."""
    rows = []
    for a in addresses:
        defaults = f" default {'/'.join(a.default_types)}" if a.default_types else ""
        rows.append(f"{a} [{'/'.join(a.types) or '-'}{defaults}]")
    return rows


def replace_addresses(
    *, model: type[AddressBase], owner_field: str, owner: models.Model, rows: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """Replace the owner's addresses (two statements); the audit change, or None when unchanged."""
    manager = model._default_manager
    old = describe(manager.filter(**{owner_field: owner}))
    manager.filter(**{owner_field: owner}).delete()
    created = manager.bulk_create(model(**{owner_field: owner}, **row) for row in rows)
    new = describe(created)
    return None if old == new else {"old": old, "new": new}
