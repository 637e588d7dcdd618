"""GET /api/v1/orders builds its rows from columns (decision 0087): each item is the order's detail
(which goes through `OrderOut`), in a number of queries that does not grow with the page, and only
the orders the caller may view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce.models import CustomerUser, Order
from accord.commerce.services.orders import order_create
from accord.commerce.services.payments import order_payment_record, order_refund_record
from accord.platform.models import AccessLevel, CurrencyRate, User
from accord.platform.money import currency_rate_set


def _orders(admin: User, buyer: CustomerUser, make_product: Callable[..., Any]) -> list[Order]:
    """Orders with discounts, fractional quantities, 4-decimal prices, lines with and without a
    product, in two currencies; one paid and partly refunded, one partly paid."""
    if not CurrencyRate.objects.filter(currency="EUR").exists():
        currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2000, 1, 1), actor=admin)
    product, euro = make_product("10.00"), make_product("7.5", "EUR")
    placed = []
    for n, (count, price, discount, currency) in enumerate(
        [(1, None, "0", "USD"), ("2.5", "4.9050", "1.25", "USD"), ("12", "0.3333", "0", "EUR")]
    ):
        lines: list[dict[str, Any]] = [{"product": euro if currency == "EUR" else product, "quantity": count}]
        if price is not None:
            lines.append({"sku": f"FREE-{n}", "name": "Free line", "quantity": "3", "unit_price": price})
        placed.append(
            order_create(
                customer=buyer.customer,
                customer_user=buyer,
                lines=lines,
                currency=currency,
                po_number=f"PO-{n}",
                discount=discount,
                entry_point="console",
                actor=admin,
            )
        )
    order_payment_record(order=placed[1], amount=placed[1].total, actor=admin)
    order_refund_record(order=placed[1], amount=Decimal("1.10"), actor=admin)
    order_payment_record(order=placed[2], amount=Decimal("2.00"), actor=admin)
    return placed


def test_each_row_is_the_orders_detail(
    api_as: Any, admin: User, buyer: CustomerUser, make_product: Callable[..., Any]
) -> None:
    placed = _orders(admin, buyer, make_product)
    api = api_as(admin)

    page = api.get("orders", sort="id").json()

    assert [item["id"] for item in page["items"]] == [order.pk for order in placed]
    for item in page["items"]:
        assert item == api.get(f"orders/{item['id']}").json()
    middle, last = page["items"][1], page["items"][2]
    assert (middle["refunded"], middle["outstanding"]) == (
        {"amount": "1.10", "currency": "USD"},
        {"amount": "0.00", "currency": "USD"},
    )
    assert [line["unit_price"]["amount"] for line in middle["lines"]] == ["10.00", "4.905"]
    assert [line["quantity"] for line in middle["lines"]] == ["2.5", "3"]
    assert last["currency"] == "EUR"
    assert last["outstanding"]["amount"] == str(placed[2].total - Decimal("2.00"))


def test_only_the_orders_the_caller_may_view(
    api_as: Any,
    admin: User,
    buyer: CustomerUser,
    make_product: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    me = make_user("me", grants={"commerce.order": {"view": AccessLevel.USER}})
    mine, theirs = _orders(admin, buyer, make_product)[:2]
    Order.objects.filter(pk=mine.pk).update(owner=me)

    assert [item["id"] for item in api_as(me).get("orders").json()["items"]] == [mine.pk]
    assert theirs.pk in [item["id"] for item in api_as(admin).get("orders").json()["items"]]
    nobody = make_user("no.grants", grants={"commerce.customer": {"view": AccessLevel.ORGANIZATION}})
    assert api_as(nobody).get("orders").json() == {"count": 0, "count_exact": True, "items": []}
    assert api_as(None).get("orders").status_code == 401


def test_query_count_does_not_grow_with_the_page(
    api_as: Any, admin: User, buyer: CustomerUser, make_product: Callable[..., Any]
) -> None:
    api = api_as(admin)
    api.get("orders")  # warm the token and permission paths
    counts = []
    for _ in range(2):
        _orders(admin, buyer, make_product)
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("orders", page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert all(item["lines"] for item in items)
    assert len(items) == 6
    assert counts[0] == counts[1]
