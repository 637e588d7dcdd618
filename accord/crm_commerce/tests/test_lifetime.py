"""Lifetime sales value of commerce customers and their accounts (oro-spec §2.3-§2.4, items 42-61;
Accord goes further: net of refunds, base currency at each payment's rate, right at every moment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accord.commerce.services.orders import order_delete, order_move
from accord.commerce.services.payments import order_cancel, order_payment_record, order_refund_record
from accord.crm.models import LifetimeValueHistory
from accord.crm_commerce.tests.conftest import account_of, account_value, value_of
from accord.platform.models import User

pytestmark = pytest.mark.django_db


def test_payments_count_the_moment_they_are_recorded(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #42/#46 adjusted: what was received counts, partial payments too (#43 reversed)."""
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00")
    assert value_of(customer) == Decimal("0.00")
    order_payment_record(order=order, amount="40.00", actor=admin)
    assert value_of(customer) == Decimal("40.00")
    order_payment_record(order=order, amount="60.00", actor=admin)
    assert value_of(customer) == Decimal("100.00")
    assert account_value(account_of(customer)) == Decimal("100.00")


def test_refunds_reduce_the_value_at_once(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """Accord goes further than oro-spec #43 and the reference's stale value after a refund."""
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="100.00", actor=admin)
    order_refund_record(order=order, amount="30.00", actor=admin)
    assert value_of(customer) == Decimal("70.00")
    assert account_value(account_of(customer)) == Decimal("70.00")


def test_other_currencies_count_at_the_payment_rate(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #45 adjusted: every amount in the base currency at the rate recorded with it."""
    from accord.platform.money import currency_rate_set

    currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2000, 1, 1), actor=admin)
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00", currency="EUR")
    order_payment_record(order=order, amount="100.00", actor=admin)
    assert value_of(customer) == Decimal("110.00")


def test_cancelled_order_counts_what_was_paid_and_not_refunded(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """Decision 0054: a cancellation keeps the money received; a refund takes it back."""
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="50.00", actor=admin)
    order_cancel(order=order, actor=admin)
    assert value_of(customer) == Decimal("50.00")
    order_refund_record(order=order, amount="50.00", actor=admin)
    assert value_of(customer) == Decimal("0.00")


def test_deleting_a_paid_order_removes_it_from_the_value(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #49."""
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="100.00", actor=admin)
    order_delete(order=order, actor=admin)
    assert value_of(customer) == Decimal("0.00")
    assert account_value(account_of(customer)) == Decimal("0.00")


def test_moving_a_paid_order_moves_its_value(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #48 extended: both the old and the new customer are recomputed."""
    old, user = customer_in_use("Old")
    new, _ = customer_in_use("New")
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="100.00", actor=admin)
    order_move(order=order, customer=new, actor=admin)
    assert (value_of(old), value_of(new)) == (Decimal("0.00"), Decimal("100.00"))
    assert account_value(account_of(old)) == Decimal("0.00")
    assert account_value(account_of(new)) == Decimal("100.00")


def test_child_orders_do_not_count_for_the_parent(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #44: customer values are not rolled up the hierarchy (accounts do it under `root`)."""
    parent, _ = customer_in_use("Parent")
    child, child_user = customer_in_use("Child", parent)
    order = place_order(child_user, "80.00")
    order_payment_record(order=order, amount="80.00", actor=admin)
    assert (value_of(parent), value_of(child)) == (Decimal("0.00"), Decimal("80.00"))


def test_history_appends_a_current_row_only_on_change(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #50, #55, #56: a new current row per change, the previous one superseded."""
    customer, user = customer_in_use("Acme")
    account_id = account_of(customer)
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="10.00", actor=admin)
    order_payment_record(order=order, amount="20.00", actor=admin)
    rows = list(LifetimeValueHistory.objects.filter(account_id=account_id).order_by("id"))
    assert [(r.amount, r.is_current) for r in rows] == [(Decimal("10.00"), False), (Decimal("30.00"), True)]
    from accord.commerce.services.orders import order_status_set

    order_status_set(order=order, status="processing", actor=admin)  # no money moved: nothing written
    assert LifetimeValueHistory.objects.filter(account_id=account_id).count() == 2


def test_shared_account_sums_its_customers(
    set_strategy: Callable[[str], None],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
    admin: User,
) -> None:
    """oro-spec #60: under `root` parent and child share an account whose channel value adds both."""
    set_strategy("root")
    parent, parent_user = customer_in_use("Parent")
    child, child_user = customer_in_use("Child", parent)
    for user, amount in ((parent_user, "30.00"), (child_user, "12.00")):
        order = place_order(user, amount)
        order_payment_record(order=order, amount=amount, actor=admin)
    assert account_of(parent) == account_of(child)
    assert account_value(account_of(parent)) == Decimal("42.00")


def test_moving_a_customer_to_another_account_writes_both_histories(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User, make_account: Any
) -> None:
    """oro-spec #61."""
    from accord.crm_commerce.services.linking import customer_link_to

    customer, user = customer_in_use("Acme")
    old_account = account_of(customer)
    order = place_order(user, "25.00")
    order_payment_record(order=order, amount="25.00", actor=admin)
    target = make_account("Elsewhere")
    customer_link_to(customer_id=customer.pk, account=target, actor=admin)
    assert account_value(old_account) == Decimal("0.00")
    assert account_value(target.pk) == Decimal("25.00")


def test_account_total_adds_its_channels(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #57/#58: the account total is the sum of its channels' current rows."""
    from accord.crm.selectors.lifetime import account_lifetime_by_channel

    customer, user = customer_in_use("Acme")
    order = place_order(user, "15.00")
    order_payment_record(order=order, amount="15.00", actor=admin)
    by_channel = account_lifetime_by_channel(account_of(customer))
    assert sum(by_channel.values()) == account_value(account_of(customer)) == Decimal("15.00")


def test_merging_accounts_adds_their_commerce_values_and_undo_splits_them_again(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """A merge moves hub rows without a per-row event: the bridge recomputes on the merge itself."""
    from accord.crm.models import Account
    from accord.crm.services.merges import accounts_merge, merge_undo
    from accord.crm_commerce.services.recalculate import lifetime_recalculate

    acme, acme_user = customer_in_use("Acme")
    beta, beta_user = customer_in_use("Beta")
    order_payment_record(order=place_order(acme_user, "100.00"), amount="100.00", actor=admin)
    order_payment_record(order=place_order(beta_user, "30.00"), amount="30.00", actor=admin)
    master, other = Account.objects.get(pk=account_of(acme)), Account.objects.get(pk=account_of(beta))

    result = accounts_merge(master=master, others=[other], actor=admin)

    assert account_of(beta) == master.pk
    assert account_value(master.pk) == Decimal("130.00")
    assert lifetime_recalculate(fix=False).clean
    merge_undo(merge=result.merge, actor=admin)
    assert account_value(master.pk) == Decimal("100.00")
    assert account_value(other.pk) == Decimal("30.00")
    assert lifetime_recalculate(fix=False).clean


def test_bulk_orders_count_at_once(customer_in_use: Callable[..., Any], admin: User) -> None:
    """Generated and imported orders come as one batch event; the values follow it set-based."""
    from accord.commerce.services.bulk_orders import orders_bulk_create
    from accord.commerce.services.products import product_create

    product = product_create(sku="BULK-1", name="Bulk", unit_price="10.00", currency="USD", actor=admin)
    acme, acme_user = customer_in_use("Acme")
    rows = [
        {
            "customer": acme,
            "customer_user": acme_user,
            "currency": "USD",
            "lines": [{"product": product, "quantity": 3}],
            "paid": paid,
            "refunded": refunded,
        }
        for paid, refunded in (("30.00", "5.00"), ("10.00", None), (None, None))
    ]
    orders_bulk_create(rows=rows, owner=admin, entry_point="demo", actor=None)

    assert value_of(acme) == Decimal("35.00")
    assert account_value(account_of(acme)) == Decimal("35.00")
    # A second batch adds its own money to what the customer had (delta, not re-aggregation).
    orders_bulk_create(rows=rows[:2], owner=admin, entry_point="demo", actor=None)
    assert value_of(acme) == Decimal("70.00")
    assert account_value(account_of(acme)) == Decimal("70.00")
    from accord.crm_commerce.services.recalculate import lifetime_recalculate

    assert lifetime_recalculate(fix=False).clean
