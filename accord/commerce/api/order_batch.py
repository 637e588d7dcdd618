"""POST /api/v1/orders/batch: up to 500 orders (with their payments) in one call, all or nothing.

Integrations (EDI, marketplaces, ERP sync) send orders in batches; `orders_bulk_create` writes a batch
set-based in one transaction, about ten times faster than one call per order (decision 0075).
References are resolved in one query per kind for the whole batch, through the ACL.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from accord.commerce.api.refs import amount_in
from accord.commerce.api.schemas import PriceSchema
from accord.commerce.models import Product
from accord.commerce.services.bulk_orders import orders_bulk_create
from accord.platform import acl, money
from accord.platform.api.lists import ERRORS
from accord.platform.api.schemas import MoneySchema
from accord.platform.errors import ValidationFailed

batch = Router(tags=["orders"])
ENTITY = "commerce.order"
LIMIT = 500


class BatchLineIn(Schema):
    product_id: int
    quantity: Decimal
    unit_price: PriceSchema | None = Field(None, description="Default: the product's price (same currency).")


class BatchOrderIn(Schema):
    customer_id: int
    customer_user_id: int | None = None
    currency: str = Field(..., min_length=3, max_length=3)
    po_number: str = ""
    discount: MoneySchema | None = None
    lines: list[BatchLineIn] = Field(..., min_length=1)
    paid: MoneySchema | None = Field(None, description="Recorded as one payment; at most the total.")


class BatchIn(Schema):
    orders: list[BatchOrderIn] = Field(..., min_length=1, max_length=LIMIT)


class BatchOrderOut(Schema):
    id: int
    identifier: str
    total: MoneySchema
    payment_status: str

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, Any]:
        return {"amount": obj.total, "currency": obj.currency}


class BatchOut(Schema):
    count: int
    orders: list[BatchOrderOut]


def _visible(user: Any, entity: str, ids: set[int], queryset: Any = None) -> dict[int, Any]:
    """The records of `ids` the user may see, in one query."""
    return acl.visible(user, entity, queryset).in_bulk(ids) if ids else {}


def _row(
    index: int,
    order: BatchOrderIn,
    customers: dict[int, Any],
    users: dict[int, Any],
    products: dict[int, Any],
) -> dict[str, Any]:
    """A service row from one payload order; a reference the caller cannot see is 422 on its path."""
    prefix = f"orders.{index}"
    currency = money.validate_currency(order.currency, field=f"{prefix}.currency")
    customer = customers.get(order.customer_id)
    if customer is None:
        raise ValidationFailed({f"{prefix}.customer_id": f"Customer {order.customer_id} does not exist."})
    row: dict[str, Any] = {"customer": customer, "currency": currency, "po_number": order.po_number}
    if order.customer_user_id is not None:
        row["customer_user"] = users.get(order.customer_user_id)
        if row["customer_user"] is None:
            raise ValidationFailed(
                {f"{prefix}.customer_user_id": f"Customer user {order.customer_user_id} does not exist."}
            )
    row["lines"] = []
    for n, line in enumerate(order.lines):
        product = products.get(line.product_id)
        if product is None:
            raise ValidationFailed(
                {f"{prefix}.lines.{n}.product_id": f"Product {line.product_id} does not exist."}
            )
        item: dict[str, Any] = {"product": product, "quantity": line.quantity}
        price = amount_in(line.unit_price, currency, f"{prefix}.lines.{n}.unit_price")
        if price is not None:
            item["unit_price"] = price
        row["lines"].append(item)
    row["discount"] = amount_in(order.discount, currency, f"{prefix}.discount") or 0
    row["paid"] = amount_in(order.paid, currency, f"{prefix}.paid")
    return row


def _rows(user: Any, payload: BatchIn) -> list[dict[str, Any]]:
    customers = _visible(user, "commerce.customer", {o.customer_id for o in payload.orders})
    users = _visible(
        user, "commerce.customer_user", {o.customer_user_id for o in payload.orders if o.customer_user_id}
    )
    product_ids = {line.product_id for o in payload.orders for line in o.lines}
    products = _visible(user, "commerce.product", product_ids, Product.objects.all())
    return [_row(n, order, customers, users, products) for n, order in enumerate(payload.orders)]


def _in_payload_terms(exc: ValidationFailed) -> ValidationFailed:
    """The service names a batch's rows `rows.N`; the caller sent them as `orders.N`."""
    renamed = {
        f"orders.{name.removeprefix('rows.')}" if name.startswith("rows.") else name: messages
        for name, messages in exc.field_errors.items()
    }
    return ValidationFailed(renamed, exc.message)


@batch.post("", response={201: BatchOut, **ERRORS}, operation_id="orders_batch_create")
def orders_batch_create(request: HttpRequest, payload: BatchIn) -> Any:
    """Place 1 to 500 orders at once, each optionally paid; one bad order and nothing is written."""
    user = request.auth
    acl.require(user, ENTITY, "create")
    rows = _rows(user, payload)
    try:
        created = orders_bulk_create(rows=rows, owner=user, entry_point="api", actor=user)
    except ValidationFailed as exc:
        raise _in_payload_terms(exc) from None
    return Status(201, {"count": len(created), "orders": created})
