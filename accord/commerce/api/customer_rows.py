"""The rows of a page of customers as `CustomerOut` holds them, related ids and addresses in two queries;
the addresses of customer users alike."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ninja import Schema

from accord.commerce.api.schemas import AddressOut, CustomerUserOut
from accord.commerce.models import Customer, CustomerUser, CustomerUserRole
from accord.commerce.registries import OUTPUT_ATTRIBUTE, api_fields
from accord.platform.api.child_rows import child_rows
from accord.platform.statements import Statement

# Filled here rather than read from the customer's columns.
RELATED = frozenset({"sales_representative_ids", "addresses", "extensions"})
ADDRESS = {name: name for name in AddressOut.model_fields if name not in ("types", "default_types")} | {
    flag: flag for flag in ("is_billing", "is_shipping", "is_default_billing", "is_default_shipping")
}


REPRESENTATIVES = Statement(
    Customer.sales_representatives.through,
    lambda ids: (
        Customer.sales_representatives.through.objects.filter(customer_id__in=ids)
        .order_by("user__username")
        .values_list("customer_id", "user_id")
    ),
)


def _sales_representatives(ids: list[int]) -> dict[int, list[int]]:
    """{customer id: its sales representatives' ids}, in the users' order (username) as before."""
    found: dict[int, list[int]] = {}
    for customer_id, user_id in REPRESENTATIVES.rows(ids=ids):
        found.setdefault(customer_id, []).append(user_id)
    return found


def _types(billing: bool, shipping: bool) -> list[str]:
    return [kind for kind, on in (("billing", billing), ("shipping", shipping)) if on]


def addresses_of(
    owner: type[Customer] | type[CustomerUser], ids: list[int]
) -> dict[int, list[dict[str, Any]]]:
    """{customer (user) id: its addresses as `AddressOut` writes them}, in the addresses' order (id)."""
    found = child_rows(owner, "addresses", ids, ADDRESS)
    for addresses in found.values():
        for address in addresses:
            address["types"] = _types(address.pop("is_billing"), address.pop("is_shipping"))
            address["default_types"] = _types(
                address.pop("is_default_billing"), address.pop("is_default_shipping")
            )
    return found


def customer_rows(customers: Sequence[Customer], schema: type[Schema]) -> list[dict[str, Any]]:
    """What `schema` (CustomerOut with the extensions' keys) writes for each customer, whose
    extensions' output is already attached (`api_output_attach`): the output merged in, as
    CustomerOut's serializer does."""
    ids = [customer.pk for customer in customers]
    reps = _sales_representatives(ids) if ids else {}
    addresses = addresses_of(Customer, ids)
    extended = api_fields("output")  # served from the attached output, not from columns
    columns = [name for name in schema.model_fields if name not in RELATED and name not in extended]
    return [
        {
            # None for a key of an extension unregistered since the schema was built (as ninja did).
            **{name: getattr(customer, name, None) for name in columns},
            "sales_representative_ids": reps.get(customer.pk, []),
            "addresses": addresses.get(customer.pk, []),
            **(getattr(customer, OUTPUT_ATTRIBUTE, None) or {}),
        }
        for customer in customers
    ]


USER_ROLES = Statement(
    CustomerUser.roles.through,
    lambda ids: (
        CustomerUser.roles.through.objects.filter(customeruser_id__in=ids)
        .order_by(*(f"customeruserrole__{name}" for name in CustomerUserRole._meta.ordering))
        .values_list("customeruser_id", "customeruserrole_id")
    ),
)
USER_COLUMNS = tuple(name for name in CustomerUserOut.model_fields if name not in ("role_ids", "addresses"))


def customer_user_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `USER_COLUMNS`) with their role ids (in the roles' order) and addresses."""
    ids = [row["id"] for row in rows]
    roles: dict[int, list[int]] = {}
    for user_id, role_id in USER_ROLES.rows(ids=ids) if ids else ():
        roles.setdefault(user_id, []).append(role_id)
    addresses = addresses_of(CustomerUser, ids)
    for row in rows:
        row["role_ids"] = roles.get(row["id"], [])
        row["addresses"] = addresses.get(row["id"], [])
    return rows
