"""The rows of a page of customers as `CustomerOut` holds them, related ids and addresses in two queries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ninja import Schema

from accord.commerce.api.schemas import AddressOut
from accord.commerce.models import Customer, CustomerAddress
from accord.commerce.registries import OUTPUT_ATTRIBUTE, api_fields
from accord.platform.statements import Statement

# Filled here rather than read from the customer's columns.
RELATED = frozenset({"sales_representative_ids", "addresses", "extensions"})
ADDRESS_COLUMNS = (
    "id",
    "customer_id",
    *(f for f in AddressOut.model_fields if f not in ("id", "types", "default_types")),
)
FLAGS = ("is_billing", "is_shipping", "is_default_billing", "is_default_shipping")


REPRESENTATIVES = Statement(
    Customer.sales_representatives.through,
    lambda ids: (
        Customer.sales_representatives.through.objects.filter(customer_id__in=ids)
        .order_by("user__username")
        .values_list("customer_id", "user_id")
    ),
)
ADDRESSES = Statement(
    CustomerAddress,
    lambda ids: (
        CustomerAddress.objects.filter(customer_id__in=ids)
        .order_by("id")
        .values_list(*ADDRESS_COLUMNS, *FLAGS)
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


def _addresses(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """{customer id: its addresses}, in the addresses' order (id)."""
    found: dict[int, list[dict[str, Any]]] = {}
    names = ADDRESS_COLUMNS[2:]
    for address_id, customer_id, *rest in ADDRESSES.rows(ids=ids):
        columns, flags = rest[: len(names)], rest[len(names) :]
        found.setdefault(customer_id, []).append(
            {
                "id": address_id,
                **dict(zip(names, columns, strict=True)),
                "types": _types(*flags[:2]),
                "default_types": _types(*flags[2:]),
            }
        )
    return found


def customer_rows(customers: Sequence[Customer], schema: type[Schema]) -> list[dict[str, Any]]:
    """What `schema` (CustomerOut with the extensions' keys) writes for each customer, whose
    extensions' output is already attached (`api_output_attach`): the output merged in, as
    CustomerOut's serializer does."""
    ids = [customer.pk for customer in customers]
    reps = _sales_representatives(ids) if ids else {}
    addresses = _addresses(ids) if ids else {}
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
