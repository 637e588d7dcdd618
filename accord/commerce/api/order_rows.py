"""The rows of a page of orders as `OrderOut` writes them: the order columns, then the page's lines in
one query (decision 0087). Validating each order and line through pydantic, with the lines
prefetched, cost 15 ms of CPU for a page of 50; built this way 4 ms."""

from __future__ import annotations

from typing import Any

from accord.commerce.api.document_schemas import OrderLineOut, OrderOut
from accord.commerce.models import Order
from accord.commerce.models.orders import outstanding_of
from accord.platform.api.child_rows import child_rows
from accord.platform.money import Money, decimal_text, price_text

AMOUNTS = {  # output key: the order's column
    "subtotal": "subtotal",
    "discount": "discount",
    "total": "total",
    "paid": "paid_amount",
    "refunded": "refunded_amount",
}
COLUMNS = tuple(
    name for name in OrderOut.model_fields if name not in AMOUNTS and name not in ("outstanding", "lines")
) + tuple(AMOUNTS.values())
LINE = {name: name for name in OrderLineOut.model_fields}


def order_rows(orders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`orders` (the page's `COLUMNS`) with their amounts as money and their lines."""
    lines = child_rows(Order, "lines", [order["id"] for order in orders], LINE)
    for order in orders:
        currency = order["currency"]
        amounts = {key: order.pop(column) for key, column in AMOUNTS.items()}
        amounts["outstanding"] = outstanding_of(amounts["total"], amounts["paid"])
        order.update({key: Money(amount, currency).as_json() for key, amount in amounts.items()})
        order["lines"] = [_line(line, currency) for line in lines.get(order["id"], [])]
    return orders


def _line(line: dict[str, Any], currency: str) -> dict[str, Any]:
    line["quantity"] = decimal_text(line["quantity"])
    line["unit_price"] = {"amount": price_text(line["unit_price"]), "currency": currency}
    line["total"] = Money(line["total"], currency).as_json()
    return line
