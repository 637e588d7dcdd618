"""Search documents of commerce records (fed to the platform's search index)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db.models import Model

from accord.commerce.models import Customer, CustomerAddress, CustomerGroup, CustomerUser, Order, Product
from accord.platform.statements import Statement, rows_by_id

CHUNK = 2000
_SEPARATORS = re.compile(r"[\W_]+")


def _rows(model: type[Model], ids: list[int] | None, fields: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
    """The given records (one compiled statement: indexing one new order is on the order's path), or
    all of them through a cursor."""
    if ids is not None:
        return iter(rows_by_id(model, fields).rows(ids=ids))
    return model._default_manager.order_by("pk").values_list(*fields).iterator(chunk_size=CHUNK)


_OWNED = ("owner_id", "business_unit_id", "organization_id")


_CUSTOMER_FIELDS = ("id", "name", "external_id", "tax_code", "group__name", "parent__name", *_OWNED)
_ADDRESS_FIELDS = ("customer_id", "street", "street2", "city", "postal_code", "region", "country")
ADDRESSES = Statement(
    CustomerAddress,
    lambda ids: (
        CustomerAddress.objects.filter(customer_id__in=ids).order_by("pk").values_list(*_ADDRESS_FIELDS)
    ),
)


def customer_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    """Customers are found by name, external id, tax code, group, parent and address (oro-spec #108)."""
    batch: list[tuple[Any, ...]] = []
    for row in _rows(Customer, ids, _CUSTOMER_FIELDS):
        batch.append(row)
        if len(batch) >= CHUNK:
            yield from _customer_batch(batch)
            batch = []
    yield from _customer_batch(batch)


def _customer_batch(rows: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    if not rows:
        return
    addresses: dict[int, list[str]] = {}
    for customer_id, *parts in ADDRESSES.rows(ids=[row[0] for row in rows]):
        addresses.setdefault(customer_id, []).extend(p for p in parts if p)
    for pk, name, external_id, tax_code, group, parent, *owned in rows:
        words = (external_id, tax_code, group, parent, *addresses.get(pk, ()))
        yield (pk, name, " ".join(p for p in words if p), *owned)


def customer_user_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    fields = ("id", "first_name", "middle_name", "last_name", "email", "customer__name", *_OWNED)
    for pk, first, middle, last, email, customer, *owned in _rows(CustomerUser, ids, fields):
        name = " ".join(p for p in (first, middle, last) if p)
        yield (pk, name, f"{email} {customer}", *owned)


def customer_group_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    for pk, name, *owned in _rows(CustomerGroup, ids, ("id", "name", *_OWNED)):
        yield (pk, name, "", *owned)


def product_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    for pk, sku, name, org_id in _rows(Product, ids, ("id", "sku", "name", "organization_id")):
        # The SKU's parts as words too: PostgreSQL's parser reads "WID-42" as "wid" and "-42".
        yield (pk, f"{sku} {name}", f"{sku} {_SEPARATORS.sub(' ', sku)}", None, None, org_id)


def order_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    """Orders are found by identifier and PO number (and the customer's name)."""
    fields = ("id", "identifier", "po_number", "customer__name", *_OWNED)
    for pk, identifier, po_number, customer, *owned in _rows(Order, ids, fields):
        po_words = f"{po_number} {_SEPARATORS.sub(' ', po_number)}" if po_number else ""
        title = f"{identifier} — {customer}"
        yield (pk, title, f"{identifier} {_SEPARATORS.sub(' ', identifier)} {po_words}".strip(), *owned)
