"""The rows of a page of contacts as `ContactOut` writes them: columns, then one query per collection.

The list read each contact as a model instance with five prefetched collections and validated it
through pydantic: 25 ms of CPU for a page of 50 (the account list, built this way, takes 3 ms).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from accord.crm.api.core_schemas import ContactAddressOut, ContactOut
from accord.crm.models import Account, Contact, ContactAddress, ContactEmail, ContactPhone
from accord.platform.statements import Statement

COLLECTIONS = ("emails", "phones", "addresses", "group_ids", "account_ids")
COLUMNS = tuple(name for name in ContactOut.model_fields if name not in COLLECTIONS)
ADDRESS_COLUMNS = tuple(name for name in ContactAddressOut.model_fields if name != "types")
GROUPS = Contact.groups.through
ACCOUNTS = Account.contacts.through


def _statement(model: type[Model], *columns: str) -> Statement:
    """The rows of `model` of a page of contacts, in the order the contact's relation gives them."""
    return Statement(
        model,
        lambda ids: (
            model._default_manager.filter(contact_id__in=ids)
            .order_by(*model._meta.ordering)
            .values_list("contact_id", *columns)
        ),
    )


EMAILS = _statement(ContactEmail, "email", "primary")
PHONES = _statement(ContactPhone, "phone", "primary")
ADDRESSES = _statement(ContactAddress, *ADDRESS_COLUMNS, "is_billing", "is_shipping")
GROUP_LINKS = Statement(
    GROUPS,
    lambda ids: GROUPS.objects.filter(contact_id__in=ids).values_list("contact_id", "contactgroup_id"),
)
ACCOUNT_LINKS = Statement(
    ACCOUNTS,
    lambda ids: ACCOUNTS.objects.filter(contact_id__in=ids).values_list("contact_id", "account_id"),
)


def _grouped(statement: Statement, ids: list[int], names: tuple[str, ...]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for contact_id, *values in statement.rows(ids=ids):
        found.setdefault(contact_id, []).append(dict(zip(names, values, strict=True)))
    return found


def _addresses(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    for contact_id, *values in ADDRESSES.rows(ids=ids):
        *columns, billing, shipping = values
        address = dict(zip(ADDRESS_COLUMNS, columns, strict=True))
        address["types"] = [kind for kind, on in (("billing", billing), ("shipping", shipping)) if on]
        found.setdefault(contact_id, []).append(address)
    return found


def _ids(statement: Statement, ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for contact_id, other_id in statement.rows(ids=ids):
        found.setdefault(contact_id, []).append(other_id)
    return {contact_id: sorted(values) for contact_id, values in found.items()}


def contact_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `COLUMNS`) with each contact's collections, as the detail writes them: every
    group and account id (ids only, as `ContactOut` gives them)."""
    ids = [row["id"] for row in rows]
    if not ids:
        return rows
    emails = _grouped(EMAILS, ids, ("email", "primary"))
    phones = _grouped(PHONES, ids, ("phone", "primary"))
    addresses = _addresses(ids)
    groups, accounts = _ids(GROUP_LINKS, ids), _ids(ACCOUNT_LINKS, ids)
    for row in rows:
        pk = row["id"]
        row["emails"] = emails.get(pk, [])
        row["phones"] = phones.get(pk, [])
        row["addresses"] = addresses.get(pk, [])
        row["group_ids"] = groups.get(pk, [])
        row["account_ids"] = accounts.get(pk, [])
    return rows
