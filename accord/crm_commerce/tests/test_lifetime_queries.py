"""Placing and paying an order with the bridge installed costs a small, constant number of queries:
the payment moves the customer's value and its account's commerce figure by its base amount."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce.services.orders import order_create
from accord.commerce.services.payments import order_payment_record, order_refund_record
from accord.crm.models import LifetimeValueHistory
from accord.crm_commerce.services.recalculate import lifetime_recalculate
from accord.crm_commerce.tests.conftest import account_of, account_value, value_of
from accord.platform.models import SearchEntry, User

pytestmark = pytest.mark.django_db
PLACE_AND_PAY = 19  # order: 7 + a savepoint pair; payment: 4 + the lifetime 4 + a savepoint pair (SQLite)


def _place_and_pay(user: Any, product: Any, admin: User) -> Any:
    order = order_create(
        customer=user.customer,
        customer_user=user,
        lines=[{"product_id": product.pk, "quantity": 2}, {"product_id": product.pk, "quantity": 1}],
        currency="USD",
        entry_point="api",
        actor=admin,
    )
    order_payment_record(order=order, amount=order.total, actor=admin)
    return order


def _product(admin: User) -> Any:
    from accord.commerce.services.products import product_create

    return product_create(sku="Q-1", name="Queried", unit_price="10.00", currency="USD", actor=admin)


def test_place_and_pay_is_a_constant_small_number_of_queries(
    customer_in_use: Callable[..., Any], admin: User, django_assert_max_num_queries: Any
) -> None:
    product = _product(admin)
    counts = []
    for n in range(3):
        customer, user = customer_in_use(f"Buyer {n}")
        _place_and_pay(user, product, admin)  # the first payment of the customer
        with CaptureQueriesContext(connection) as ctx:
            _place_and_pay(user, product, admin)
        counts.append(len(ctx.captured_queries))
        assert value_of(customer) == Decimal("60.00")
        assert account_value(account_of(customer)) == Decimal("60.00")
    assert len(set(counts)) == 1, counts
    # PostgreSQL locks the account row before appending its history row (SQLite serialises writers).
    with django_assert_max_num_queries(PLACE_AND_PAY + (connection.vendor == "postgresql")):
        _place_and_pay(user, product, admin)
    assert value_of(customer) == Decimal("90.00")


def test_each_order_is_indexed_once_and_each_payment_appends_one_history_row(
    customer_in_use: Callable[..., Any], admin: User
) -> None:
    product = _product(admin)
    customer, user = customer_in_use("Buyer")
    account = account_of(customer)
    order = _place_and_pay(user, product, admin)
    assert SearchEntry.objects.filter(entity="commerce.order", object_id=order.pk).count() == 1
    rows = LifetimeValueHistory.objects.filter(account_id=account)
    assert list(rows.filter(is_current=True).values_list("amount", flat=True)) == [Decimal("30.00")]
    order_refund_record(order=order, amount="5.00", actor=admin)
    assert list(rows.filter(is_current=True).values_list("amount", flat=True)) == [Decimal("25.00")]
    assert rows.count() == 2
    assert value_of(customer) == Decimal("25.00")
    report = lifetime_recalculate(fix=False)
    assert report.clean, report


def test_a_customer_without_an_account_link_still_gets_its_value(
    customer_in_use: Callable[..., Any], admin: User
) -> None:
    from accord.crm_commerce.services._common import hub_rows

    product = _product(admin)
    customer, user = customer_in_use("Loose")
    hub_rows().filter(source_id=customer.pk).delete()
    _place_and_pay(user, product, admin)
    assert value_of(customer) == Decimal("30.00")
    assert not LifetimeValueHistory.objects.filter(amount=Decimal("30.00")).exists()
