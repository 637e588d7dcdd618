"""Orders: placing (totals, identifier, base rate), internal status, move, delete, reorder."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accord.commerce.models import InternalStatus, Order, PaymentStatus
from accord.commerce.services.customers import customer_delete
from accord.commerce.services.orders import (
    order_create,
    order_delete,
    order_move,
    order_reorder,
    order_status_set,
)
from accord.commerce.services.payments import order_cancel, order_payment_record
from accord.commerce.services.products import product_delete, product_update
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import AuditEntry, SearchEntry
from accord.platform.money import currency_rate_set


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return set(exc.value.field_errors)


def test_order_totals_identifier_and_base_rate(buyer, make_product, admin):
    currency_rate_set(
        currency="EUR", rate=Decimal("1.10"), valid_from=timezone.localdate() - dt.timedelta(days=3)
    )
    a, b = make_product("10.00", "EUR"), make_product("3.3333", "EUR")
    order = order_create(
        customer=buyer.customer,
        customer_user=buyer,
        lines=[{"product": a, "quantity": 2}, {"product_id": b.pk, "quantity": "3"}],
        currency="eur",
        po_number="PO-77",
        discount="5",
        entry_point="console",
        actor=admin,
    )
    order.refresh_from_db()
    assert order.identifier == f"SO-{order.pk:06d}"
    assert (order.subtotal, order.discount, order.total) == (
        Decimal("30.00"),
        Decimal("5.00"),
        Decimal("25.00"),
    )
    assert (order.currency, order.base_rate, order.base_subtotal) == ("EUR", Decimal("1.1"), Decimal("33.00"))
    assert (order.internal_status, order.payment_status) == (InternalStatus.OPEN, PaymentStatus.PENDING)
    assert [line.total for line in order.lines.order_by("id")] == [Decimal("20.00"), Decimal("10.00")]
    assert order.owner_id == admin.pk
    assert SearchEntry.objects.filter(entity="commerce.order", object_id=order.pk).exists()
    assert AuditEntry.objects.filter(
        entity="commerce.order", object_id=str(order.pk), action="create"
    ).exists()


def test_order_refusals_name_their_field(buyer, make_product, admin, make_customer, make_customer_user):
    product = make_product("10.00", "USD")
    base = {"customer": buyer.customer, "currency": "USD", "entry_point": "api", "actor": admin}
    cases = [
        ({"lines": []}, "lines"),
        ({"lines": [{"product": product, "quantity": 0}]}, "lines.0.quantity"),
        ({"lines": [{"product_id": 999999, "quantity": 1}]}, "lines.0.product_id"),
        ({"lines": [{"product": product, "quantity": 1}], "currency": "EUR"}, "lines.0.unit_price"),
        ({"lines": [{"product": product, "quantity": 1}], "currency": "XXX"}, "currency"),
        ({"lines": [{"product": product, "quantity": 1}], "discount": "10.01"}, "discount"),
        ({"lines": [{"product": product, "quantity": 1}], "discount": "-1"}, "discount"),
        ({"lines": [{"product": product, "quantity": 1, "unit_price": "-2"}]}, "lines.0.unit_price"),
        ({"lines": [{"product": product, "quantity": 1}], "po_number": "x" * 256}, "po_number"),
        (
            {
                "lines": [{"product": product, "quantity": 1}],
                "customer_user": make_customer_user(make_customer("B")),
            },
            "customer_user_id",
        ),
        # a currency without a rate cannot be placed: its base value would be unknown
        ({"lines": [{"product": product, "quantity": 1, "unit_price": "1"}], "currency": "GBP"}, "currency"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationFailed) as exc:
            order_create(**{**base, **overrides})
        assert field in _fields(exc), (overrides, exc.value.field_errors)
    assert not Order.objects.exists()


def test_an_order_without_a_product_needs_a_sku_and_a_price(buyer, admin):
    order = order_create(
        customer=buyer.customer,
        lines=[{"sku": "FREE-1", "name": "Custom work", "quantity": 1, "unit_price": "12.5"}],
        currency="USD",
        entry_point="api",
        actor=admin,
    )
    assert order.customer_user_id is None
    assert order.total == Decimal("12.50")
    with pytest.raises(ValidationFailed) as exc:
        order_create(
            customer=buyer.customer,
            lines=[{"quantity": 1, "unit_price": "1"}],
            currency="USD",
            entry_point="api",
            actor=admin,
        )
    assert _fields(exc) == {"lines.0.product_id"}


def test_internal_status_follows_the_allowed_transitions(buyer, place_order, admin):
    order = place_order(buyer)
    for status in ("processing", "open", "shipped", "closed"):
        order = order_status_set(order=order, status=status, actor=admin)
        assert order.internal_status == status
    for status in ("open", "cancelled", "nonsense"):
        with pytest.raises((ValidationFailed, Conflict)):
            order_status_set(order=order, status=status, actor=admin)
    other = place_order(buyer)
    order_status_set(order=other, status="shipped", actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        order_status_set(order=other, status="processing", actor=admin)
    assert _fields(exc) == {"status"}


def test_cancelling_sets_both_statuses_and_is_final(buyer, place_order, admin):
    order = place_order(buyer)
    order = order_status_set(order=order, status="cancelled", actor=admin)
    assert (order.internal_status, order.payment_status) == ("cancelled", "cancelled")
    with pytest.raises(Conflict):
        order_cancel(order=order, actor=admin)
    with pytest.raises(Conflict):
        order_payment_record(order=order, amount="1", actor=admin)


def test_moving_an_order_keeps_the_user_only_when_it_belongs_there(
    buyer, place_order, admin, make_customer, make_customer_user
):
    order = place_order(buyer)
    sibling = make_customer("Sibling")
    moved = order_move(order=order, customer=sibling, actor=admin)
    assert (moved.customer_id, moved.customer_user_id) == (sibling.pk, None)
    colleague = make_customer_user(sibling)
    order2 = place_order(colleague)
    assert (
        order_move(order=order2, customer=sibling, actor=admin).customer_user_id == colleague.pk
    )  # no change
    assert order_move(order=moved, customer=buyer.customer, actor=admin).customer_user_id is None


def test_deleting_an_order_removes_its_rows_and_search_entry(buyer, place_order, admin):
    order = place_order(buyer)
    order_payment_record(order=order, amount="10", actor=admin)
    order_delete(order=order, actor=admin)
    assert not Order.objects.exists()
    assert not SearchEntry.objects.filter(entity="commerce.order").exists()
    assert AuditEntry.objects.filter(entity="commerce.order", action="delete").count() == 1


def test_a_customer_with_orders_cannot_be_deleted(buyer, place_order, admin, make_customer):
    customer = make_customer("Solo")
    order = place_order(buyer)
    order_move(order=order, customer=customer, actor=admin)
    with pytest.raises(Conflict, match="orders"):
        customer_delete(customer=customer, actor=admin)


def test_reorder_makes_a_shopping_list_of_the_products_still_orderable(buyer, make_product, admin):
    a, b, c = make_product(), make_product(), make_product()
    order = order_create(
        customer=buyer.customer,
        customer_user=buyer,
        lines=[
            {"product": a, "quantity": 2},
            {"product": b, "quantity": 1},
            {"product": c, "quantity": 1},
            {"product": a, "quantity": 1},
        ],
        currency="USD",
        entry_point="console",
        actor=admin,
    )
    product_update(product=b, status="disabled", actor=admin)
    product_delete(product=c, actor=admin)
    shopping_list = order_reorder(order=order, customer_user=buyer, actor=buyer)
    assert shopping_list.name == f"Reorder of {order.identifier}"
    assert {(line.product_id, line.quantity) for line in shopping_list.lines.all()} == {(a.pk, 3)}
    product_update(product=a, status="disabled", actor=admin)
    with pytest.raises(Conflict):
        order_reorder(order=order, customer_user=buyer, actor=buyer)
