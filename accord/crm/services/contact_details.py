"""Emails, phones and addresses of a contact: checked, then replaced as a whole list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from accord.crm.models import Contact, ContactAddress, ContactEmail, ContactPhone

ADDRESS_FIELDS = ("label", "street", "street2", "city", "postal_code", "region", "country")
_ADDRESS_MAX = {"label": 255, "street": 500, "street2": 500, "city": 255, "postal_code": 32, "region": 255}
TYPES = ("billing", "shipping")


def _one_primary(rows: list[dict[str, Any]], field: str, errors: dict[str, str]) -> None:
    """oro-spec #5: a non-empty list has exactly one primary item."""
    primaries = sum(1 for row in rows if row["primary"])
    if rows and primaries != 1:
        errors[field] = "Exactly one item must be primary." if primaries else "Mark one item as primary."


def clean_emails(items: Iterable[Mapping[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        email = str(raw.get("email") or "").strip()
        try:
            validate_email(email)
        except ValidationError:
            errors[f"emails.{index}.email"] = "Enter a valid email address."
        if len(email) > 255:
            errors[f"emails.{index}.email"] = "At most 255 characters."
        if email.lower() in seen:
            errors[f"emails.{index}.email"] = "This email is listed twice."
        seen.add(email.lower())
        rows.append({"email": email, "primary": bool(raw.get("primary"))})
    _one_primary(rows, "emails", errors)
    return rows


def clean_phones(items: Iterable[Mapping[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    for index, raw in enumerate(items):
        phone = str(raw.get("phone") or "").strip()
        if not phone:
            errors[f"phones.{index}.phone"] = "A phone number is required."
        elif len(phone) > 100:
            errors[f"phones.{index}.phone"] = "At most 100 characters."
        rows.append({"phone": phone, "primary": bool(raw.get("primary"))})
    _one_primary(rows, "phones", errors)
    return rows


def clean_addresses(items: Iterable[Mapping[str, Any]], errors: dict[str, str]) -> list[dict[str, Any]]:
    rows = []
    taken: dict[str, int] = {}
    for index, raw in enumerate(items):
        prefix = f"addresses.{index}"
        row: dict[str, Any] = {name: str(raw.get(name) or "").strip() for name in ADDRESS_FIELDS}
        row["country"] = row["country"].upper()
        if not (row["street"] or row["city"] or row["postal_code"]):
            errors[f"{prefix}.street"] = "An address needs a street, a city or a postal code."
        for name, limit in _ADDRESS_MAX.items():
            if len(row[name]) > limit:
                errors[f"{prefix}.{name}"] = f"At most {limit} characters."
        if row["country"] and (len(row["country"]) != 2 or not row["country"].isalpha()):
            errors[f"{prefix}.country"] = "A two-letter ISO 3166 country code."
        types = list(raw.get("types") or [])
        for name in types:
            if name not in TYPES:
                errors[f"{prefix}.types"] = f"Address types are: {', '.join(TYPES)}."
            elif name in taken:
                errors[f"{prefix}.types"] = f"Only one address can be the {name} address."
            else:
                taken[name] = index
        row["is_billing"] = "billing" in types
        row["is_shipping"] = "shipping" in types
        row["primary"] = bool(raw.get("primary"))
        rows.append(row)
    _one_primary(rows, "addresses", errors)
    return rows


def replace_details(
    *,
    contact: Contact,
    emails: list[dict[str, Any]] | None,
    phones: list[dict[str, Any]] | None,
    addresses: list[dict[str, Any]] | None,
) -> dict[str, dict[str, Any]]:
    """Replace the lists given (a few statements each); the audit changes."""
    changes: dict[str, dict[str, Any]] = {}
    lists: tuple[tuple[str, Any, list[dict[str, Any]] | None, Any], ...] = (
        ("emails", ContactEmail, emails, _describe_email),
        ("phones", ContactPhone, phones, _describe_phone),
        ("addresses", ContactAddress, addresses, _describe_address),
    )
    for name, model, rows, describe in lists:
        if rows is None:
            continue
        manager: Any = model._default_manager
        old = [describe(item) for item in manager.filter(contact=contact)]
        manager.filter(contact=contact).delete()
        created = manager.bulk_create([model(contact=contact, **row) for row in rows])
        new = [describe(item) for item in created]
        if old != new:
            changes[name] = {"old": old, "new": new}
    return changes


def _describe_email(item: Any) -> str:
    return f"{item.email}{' (primary)' if item.primary else ''}"


def _describe_phone(item: Any) -> str:
    return f"{item.phone}{' (primary)' if item.primary else ''}"


def _describe_address(item: Any) -> str:
    flags = "/".join(item.types) + (" primary" if item.primary else "")
    return f"{item} [{flags.strip() or '-'}]"


def sync_primary(contact: Contact) -> None:
    """Mirror the primary email and phone on the contact row."""
    contact.primary_email = (
        ContactEmail.objects.filter(contact=contact, primary=True).values_list("email", flat=True).first()
        or ""
    )
    contact.primary_phone = (
        ContactPhone.objects.filter(contact=contact, primary=True).values_list("phone", flat=True).first()
        or ""
    )
    Contact.objects.filter(pk=contact.pk).update(
        primary_email=contact.primary_email, primary_phone=contact.primary_phone
    )
