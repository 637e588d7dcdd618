"""POST /api/v1/orders/batch: up to 500 orders in one call, all or nothing, references through the ACL,
errors on the payload's own paths; and the checks the bulk service shares with `order_create`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accord.commerce.models import Order, OrderLine, OrderPayment
from accord.commerce.services.bulk_orders import orders_bulk_create
from accord.platform.errors import ValidationFailed
from accord.platform.models import AccessLevel, AuditEntry, SearchEntry, User
from accord.platform.money import currency_rate_set

URL = "orders/batch"
ORG = AccessLevel.ORGANIZATION
# Auth, ACL, one query per kind of reference, the rate, the writes, the bridge's listener: not per order.
QUERY_BOUND = 41


@pytest.fixture
def api(api_as: Callable[..., Any], admin: User) -> Any:
    return api_as(admin)


@pytest.fixture
def eur_rate(admin: User) -> None:
    currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2000, 1, 1), actor=admin)


@pytest.fixture
def products(make_product: Callable[..., Any]) -> list[Any]:
    return [make_product("10.00"), make_product("2.50")]


def _order(buyer: Any, products: list[Any], **extra: Any) -> dict[str, Any]:
    """One order of 2 × products[0] + 4 × products[1] = 30.00 USD."""
    return {
        "customer_id": buyer.customer_id,
        "customer_user_id": buyer.pk,
        "currency": "USD",
        "lines": [
            {"product_id": products[0].pk, "quantity": "2"},
            {"product_id": products[1].pk, "quantity": "4"},
        ],
        **extra,
    }


def _written() -> tuple[int, int, int, int]:
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderPayment.objects.count(),
        AuditEntry.objects.filter(entity="commerce.order").count(),
    )


def _field(response: Any) -> str:
    assert response.status_code == 422, response.json()
    return response.json()["errors"][0]["field"]


def test_a_batch_places_orders_with_lines_payments_and_status(
    api: Any, admin: User, buyer: Any, products: list[Any]
) -> None:
    paid_in_full = _order(buyer, products, paid={"amount": "30.00", "currency": "USD"}, po_number="PO-1")
    partly = _order(buyer, products, paid={"amount": "10.00", "currency": "USD"})
    priced = _order(buyer, products, discount={"amount": "5.00", "currency": "USD"})
    priced["lines"][0]["unit_price"] = {"amount": "12.5", "currency": "USD"}
    del priced["customer_user_id"]

    response = api.post(URL, {"orders": [paid_in_full, partly, priced]})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["count"] == 3
    ids = [o["id"] for o in body["orders"]]
    assert ids == sorted(ids)  # payload order
    assert [o["identifier"] for o in body["orders"]] == [f"SO-{pk:06d}" for pk in ids]
    assert len(set(Order.objects.values_list("identifier", flat=True))) == 3
    assert [o["total"] for o in body["orders"]] == [
        {"amount": "30.00", "currency": "USD"},
        {"amount": "30.00", "currency": "USD"},
        {"amount": "30.00", "currency": "USD"},  # 2 × 12.50 + 4 × 2.50 − 5.00
    ]
    assert [o["payment_status"] for o in body["orders"]] == ["paid_in_full", "partially_paid", "pending"]
    orders = Order.objects.in_bulk(ids)
    first, second, third = (orders[pk] for pk in ids)
    assert (first.po_number, first.customer_user_id, first.entry_point) == ("PO-1", buyer.pk, "api")
    assert third.customer_user_id is None
    assert (third.subtotal, third.discount) == (Decimal("35.00"), Decimal("5.00"))
    assert {o.owner_id for o in orders.values()} == {admin.pk}
    assert OrderLine.objects.filter(order_id__in=ids).count() == 6
    assert dict(OrderPayment.objects.values_list("order_id", "amount")) == {
        first.pk: Decimal("30.00"),
        second.pk: Decimal("10.00"),
    }
    assert (first.paid_amount, second.paid_amount, third.paid_amount) == (
        Decimal("30.00"),
        Decimal("10.00"),
        Decimal("0.00"),
    )
    audited = AuditEntry.objects.filter(entity="commerce.order", action="create")
    assert sorted(int(pk) for pk in audited.values_list("object_id", flat=True)) == ids
    assert set(audited.values_list("actor__username", flat=True)) == {"root-admin"}
    assert SearchEntry.objects.filter(entity="commerce.order").count() == 3
    assert api.get(f"orders/{ids[0]}").json()["paid"] == {"amount": "30.00", "currency": "USD"}


@pytest.mark.parametrize("size", [5, 50])
def test_query_count_does_not_grow_with_the_batch(
    api: Any,
    buyer: Any,
    products: list[Any],
    make_customer: Callable[..., Any],
    make_customer_user: Callable[..., Any],
    django_assert_max_num_queries: Any,
    size: int,
) -> None:
    """Orders of three customers (each with its user) and two products, whatever the batch's size."""
    buyers = [buyer, *(make_customer_user(make_customer(name)) for name in ("Globex", "Initech"))]
    paid = {"amount": "30.00", "currency": "USD"}
    orders = [_order(buyers[n % 3], products, paid=paid) for n in range(size)]
    with django_assert_max_num_queries(QUERY_BOUND):
        response = api.post(URL, {"orders": orders})
    assert response.status_code == 201, response.json()
    assert Order.objects.count() == size


def _break(case: str, order: dict[str, Any], other: dict[str, Any]) -> str:
    """Spoil the order in the middle of the batch; the path the 422 must name."""
    if case == "unknown product":
        order["lines"][0]["product_id"] = 987654
        return "orders.2.lines.0.product_id"
    if case == "zero quantity":  # refused by the service (rows.2...), renamed to the payload's path
        order["lines"][1]["quantity"] = "0"
        return "orders.2.lines.1.quantity"
    if case == "overpaid":
        order["paid"] = {"amount": "30.01", "currency": "USD"}
        return "orders.2.paid"
    if case == "discount above subtotal":
        order["discount"] = {"amount": "30.01", "currency": "USD"}
        return "orders.2.discount"
    if case == "paid in another currency":
        order["paid"] = {"amount": "1.00", "currency": "EUR"}
        return "orders.2.paid.currency"
    if case == "unknown currency":
        order["currency"] = "ZZZ"
        return "orders.2.currency"
    if case == "customer user of another customer":
        order["customer_user_id"] = other["customer_user_id"]
        return "orders.2.customer_user_id"
    if case == "product priced in another currency":
        order["currency"] = "EUR"
        del order["paid"]
        return "orders.2.lines.0.unit_price"
    if case == "currency without a rate":
        order["currency"] = "GBP"
        del order["paid"]
        return "orders.2.currency"
    if case == "unknown customer":
        order["customer_id"] = 987654
        return "orders.2.customer_id"
    assert case == "no lines"
    order["lines"] = []
    return "orders.2.lines"


@pytest.mark.parametrize(
    "case",
    [
        "unknown product",
        "zero quantity",
        "overpaid",
        "discount above subtotal",
        "paid in another currency",
        "unknown currency",
        "customer user of another customer",
        "product priced in another currency",
        "currency without a rate",
        "unknown customer",
        "no lines",
    ],
)
def test_one_bad_order_writes_nothing_and_names_its_path(
    api: Any,
    buyer: Any,
    products: list[Any],
    make_customer: Callable[..., Any],
    make_customer_user: Callable[..., Any],
    eur_rate: None,
    case: str,
) -> None:
    stranger = make_customer_user(make_customer("Globex"))
    other = {"customer_user_id": stranger.pk}
    orders = [_order(buyer, products, paid={"amount": "30.00", "currency": "USD"}) for _ in range(5)]
    path = _break(case, orders[2], other)
    before = _written()
    response = api.post(URL, {"orders": orders})
    assert _field(response) == path
    assert _written() == before
    assert before[0] == 0


def test_a_customer_of_another_organization_is_unknown(
    api: Any,
    buyer: Any,
    products: list[Any],
    make_customer: Callable[..., Any],
    make_user: Callable[..., Any],
    tree: Any,
) -> None:
    elsewhere = make_customer(
        "Initech", actor=make_user("other-admin", unit=tree.other_main, roles=["administrator"])
    )
    orders = [_order(buyer, products), {**_order(buyer, products), "customer_id": elsewhere.pk}]
    del orders[1]["customer_user_id"]
    assert _field(api.post(URL, {"orders": orders})) == "orders.1.customer_id"
    assert not Order.objects.exists()


def test_a_customer_outside_the_callers_view_is_unknown(
    api_as: Callable[..., Any],
    buyer: Any,
    products: list[Any],
    make_user: Callable[..., Any],
    make_customer: Callable[..., Any],
) -> None:
    """A role that sees only its own customers: the admin's customer is as unknown as a missing one."""
    clerk = make_user(
        "clerk",
        grants={
            "commerce.order": {"view": ORG, "create": ORG},
            "commerce.customer": {"view": AccessLevel.USER},
            "commerce.customer_user": {"view": ORG},
            "commerce.product": {"view": ORG},
        },
    )
    own = make_customer("Own", actor=clerk)
    mine = {
        "customer_id": own.pk,
        "currency": "USD",
        "lines": [{"product_id": products[0].pk, "quantity": 1}],
    }
    api = api_as(clerk)
    response = api.post(URL, {"orders": [mine, _order(buyer, products)]})
    assert _field(response) == "orders.1.customer_id"
    assert not Order.objects.exists()
    placed = api.post(URL, {"orders": [mine]})
    assert placed.status_code == 201, placed.json()
    assert Order.objects.get().owner_id == clerk.pk


def test_customer_users_and_products_outside_the_callers_view_are_unknown(
    api_as: Callable[..., Any], buyer: Any, products: list[Any], make_user: Callable[..., Any]
) -> None:
    blind = make_user(
        "blind",
        grants={
            "commerce.order": {"create": ORG},
            "commerce.customer": {"view": ORG},
            "commerce.customer_user": {"view": AccessLevel.NONE},
            "commerce.product": {"view": AccessLevel.NONE},
        },
    )
    api = api_as(blind)
    assert _field(api.post(URL, {"orders": [_order(buyer, products)]})) == "orders.0.customer_user_id"
    without_user = _order(buyer, products)
    del without_user["customer_user_id"]
    assert _field(api.post(URL, {"orders": [without_user]})) == "orders.0.lines.0.product_id"
    assert not Order.objects.exists()


def test_without_the_create_grant_it_is_forbidden(
    api_as: Callable[..., Any], buyer: Any, products: list[Any], make_user: Callable[..., Any]
) -> None:
    viewer = make_user("viewer", roles=["sales_manager"])
    response = api_as(viewer).post(URL, {"orders": [_order(buyer, products)]})
    assert response.status_code == 403, response.json()
    assert not Order.objects.exists()


def test_without_credentials_it_is_unauthenticated(
    api_as: Callable[..., Any], buyer: Any, products: list[Any]
) -> None:
    response = api_as(None).post(URL, {"orders": [_order(buyer, products)]})
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert not Order.objects.exists()


@pytest.mark.parametrize("size", [0, 501])
def test_batches_hold_one_to_five_hundred_orders(
    api: Any, buyer: Any, products: list[Any], size: int
) -> None:
    response = api.post(URL, {"orders": [_order(buyer, products) for _ in range(size)]})
    assert _field(response) == "orders"
    assert not Order.objects.exists()


def test_five_hundred_orders_are_accepted(api: Any, buyer: Any, products: list[Any]) -> None:
    response = api.post(URL, {"orders": [_order(buyer, products) for _ in range(500)]})
    assert response.status_code == 201, response.json()
    assert response.json()["count"] == Order.objects.count() == 500


# --- the service's checks shared with `order_create` ---------------------------------------------


def _row(buyer: Any, product: Any, **extra: Any) -> dict[str, Any]:
    return {
        "customer": buyer.customer,
        "currency": "USD",
        "lines": [{"product": product, "quantity": 1}],
        **extra,
    }


def test_service_refuses_a_customer_user_of_another_customer_given_by_id(
    admin: User,
    buyer: Any,
    products: list[Any],
    make_customer: Callable[..., Any],
    make_customer_user: Callable[..., Any],
) -> None:
    stranger = make_customer_user(make_customer("Globex"))
    rows = [
        _row(buyer, products[0], customer_user_id=buyer.pk),
        _row(buyer, products[0], customer_user_id=stranger.pk),
    ]
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(rows=rows, owner=admin, entry_point="import", actor=admin)
    assert set(exc.value.field_errors) == {"rows.1.customer_user_id"}
    rows[1]["customer_user_id"] = 987654
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(rows=rows, owner=admin, entry_point="import", actor=admin)
    assert exc.value.field_errors == {"rows.1.customer_user_id": ["Customer user 987654 does not exist."]}
    assert not Order.objects.exists()


def test_service_refuses_a_product_of_another_organization(
    admin: User, buyer: Any, make_user: Callable[..., Any], tree: Any
) -> None:
    from accord.commerce.services.products import product_create

    outsider = make_user("outsider", unit=tree.other_main, roles=["administrator"])
    foreign = product_create(sku="F-1", name="Foreign", unit_price="1.00", currency="USD", actor=outsider)
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(rows=[_row(buyer, foreign)], owner=admin, entry_point="import", actor=admin)
    assert set(exc.value.field_errors) == {"rows.0.lines.0.product_id"}
    assert not Order.objects.exists()


def test_service_takes_a_list_price_only_in_the_orders_currency(
    admin: User, buyer: Any, products: list[Any], eur_rate: None
) -> None:
    """As `order_create`, whatever the entry point (the generator passes its prices)."""
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(
            rows=[_row(buyer, products[0], currency="EUR")], owner=admin, entry_point="api", actor=admin
        )
    assert exc.value.field_errors == {"rows.0.lines.0.unit_price": ["A unit price in EUR is required."]}
    priced = _row(buyer, products[0], currency="EUR")
    priced["lines"][0]["unit_price"] = "9.00"
    [order] = orders_bulk_create(rows=[priced], owner=admin, entry_point="api", actor=admin)
    assert (order.currency, order.total) == ("EUR", Decimal("9.00"))
    with pytest.raises(ValidationFailed):
        orders_bulk_create(
            rows=[_row(buyer, products[0], currency="EUR")], owner=admin, entry_point="demo", actor=None
        )


def test_service_refuses_a_long_po_number_instead_of_cutting_it(
    admin: User, buyer: Any, products: list[Any]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(
            rows=[_row(buyer, products[0], po_number="P" * 256)], owner=admin, entry_point="api", actor=admin
        )
    assert set(exc.value.field_errors) == {"rows.0.po_number"}
    [order] = orders_bulk_create(
        rows=[_row(buyer, products[0], po_number=" PO-9 ")], owner=admin, entry_point="api", actor=admin
    )
    assert Order.objects.get(pk=order.pk).po_number == "PO-9"
