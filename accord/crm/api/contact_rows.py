"""The rows of a page of contacts as `ContactOut` writes them: columns, then one query per collection.

The list read each contact as a model instance with five prefetched collections and validated it
through pydantic: 26 ms of CPU for a page of 50 at scale 1, 3.5 ms built this way (decision 0087).
"""

from __future__ import annotations

from typing import Any

from accord.crm.api.core_schemas import ContactAddressOut, ContactOut
from accord.crm.models import Account, Contact
from accord.platform.api.child_rows import child_rows, related_ids
from accord.platform.statements import Statement

COLLECTIONS = ("emails", "phones", "addresses", "group_ids", "account_ids")
COLUMNS = tuple(name for name in ContactOut.model_fields if name not in COLLECTIONS)
ADDRESS = {name: name for name in ContactAddressOut.model_fields if name != "types"} | {
    "is_billing": "is_billing",
    "is_shipping": "is_shipping",
}
GROUPS, ACCOUNTS = Contact.groups.through, Account.contacts.through
GROUP_LINKS = Statement(
    GROUPS,
    lambda ids: GROUPS.objects.filter(contact_id__in=ids).values_list("contact_id", "contactgroup_id"),
)
ACCOUNT_LINKS = Statement(
    ACCOUNTS,
    lambda ids: ACCOUNTS.objects.filter(contact_id__in=ids).values_list("contact_id", "account_id"),
)


def _addresses(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    found = child_rows(Contact, "addresses", ids, ADDRESS)
    for addresses in found.values():
        for address in addresses:
            billing, shipping = address.pop("is_billing"), address.pop("is_shipping")
            address["types"] = [kind for kind, on in (("billing", billing), ("shipping", shipping)) if on]
    return found


def contact_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `COLUMNS`) with each contact's collections, as the detail writes them: every
    group and account id (ids only, as `ContactOut` gives them)."""
    ids = [row["id"] for row in rows]
    emails = child_rows(Contact, "emails", ids, {"email": "email", "primary": "primary"})
    phones = child_rows(Contact, "phones", ids, {"phone": "phone", "primary": "primary"})
    addresses = _addresses(ids)
    groups, accounts = related_ids(GROUP_LINKS, ids), related_ids(ACCOUNT_LINKS, ids)
    for row in rows:
        pk = row["id"]
        row["emails"] = emails.get(pk, [])
        row["phones"] = phones.get(pk, [])
        row["addresses"] = addresses.get(pk, [])
        row["group_ids"] = groups.get(pk, [])
        row["account_ids"] = accounts.get(pk, [])
    return rows
