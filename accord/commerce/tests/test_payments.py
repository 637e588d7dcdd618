"""Payments and refunds: amounts kept, statuses derived, refusals, rates fixed, events fired."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.commerce import signals
from accord.commerce.models import Order, OrderPayment, OrderRefund, PaymentStatus, derive_payment_status
from accord.commerce.services.orders import order_delete, order_move
from accord.commerce.services.payments import (
    order_cancel,
    order_payment_authorize,
    order_payment_record,
    order_refund_record,
)
from accord.platform.errors import ValidationFailed
from accord.platform.money import currency_rate_set


@contextmanager
def listening(signal):
    heard: list[dict] = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield heard
    finally:
        signal.disconnect(receiver)


def test_payment_statuses_through_a_life(buyer, place_order, admin):
    order = place_order(buyer, "100.00")
    steps = [
        (order_payment_record, "40", PaymentStatus.PARTIALLY_PAID),
        (order_payment_record, "60", PaymentStatus.PAID_IN_FULL),
        (order_refund_record, "30", PaymentStatus.PARTIALLY_REFUNDED),
        (order_refund_record, "70", PaymentStatus.REFUNDED),
    ]
    for service, amount, status in steps:
        service(order=order, amount=amount, actor=admin)
        order.refresh_from_db()
        assert order.payment_status == status
    assert (order.paid_amount, order.refunded_amount) == (Decimal("100"), Decimal("100"))


def test_payment_beyond_the_outstanding_amount_is_refused(buyer, place_order, admin):
    order = place_order(buyer, "50.00")
    order_payment_record(order=order, amount="45", actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        order_payment_record(order=order, amount="5.01", actor=admin)
    assert set(exc.value.field_errors) == {"amount"}
    assert "5.00 USD" in exc.value.field_errors["amount"][0]
    order_refund_record(order=order, amount="10", actor=admin)
    with pytest.raises(ValidationFailed):  # a refund does not reopen the order for payment
        order_payment_record(order=order, amount="5.01", actor=admin)
    assert OrderPayment.objects.count() == 1


def test_refund_beyond_what_was_paid_is_refused(buyer, place_order, admin):
    order = place_order(buyer, "50.00")
    with pytest.raises(ValidationFailed) as exc:
        order_refund_record(order=order, amount="0.01", actor=admin)
    assert set(exc.value.field_errors) == {"amount"}
    order_payment_record(order=order, amount="20", actor=admin)
    order_refund_record(order=order, amount="15", actor=admin)
    with pytest.raises(ValidationFailed):
        order_refund_record(order=order, amount="5.01", actor=admin)
    assert OrderRefund.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "-1", "1.001", "abc", "Infinity"])
def test_bad_amounts_are_refused(buyer, place_order, admin, amount):
    order = place_order(buyer)
    with pytest.raises(ValidationFailed) as exc:
        order_payment_record(order=order, amount=amount, actor=admin)
    assert set(exc.value.field_errors) == {"amount"}


def test_each_payment_fixes_the_rate_of_its_day(buyer, place_order, admin):
    today = timezone.localdate()
    currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=today - dt.timedelta(days=10))
    currency_rate_set(currency="EUR", rate=Decimal("1.20"), valid_from=today - dt.timedelta(days=2))
    order = place_order(buyer, "100.00", "EUR")
    assert order.base_rate == Decimal("1.20")
    old = timezone.now() - dt.timedelta(days=5)
    payment = order_payment_record(order=order, amount="50", paid_at=old, actor=admin)
    assert (payment.base_rate, payment.base_amount, payment.currency) == (
        Decimal("1.10"),
        Decimal("55.00"),
        "EUR",
    )
    refund = order_refund_record(order=order, amount="10", actor=admin)
    assert (refund.base_rate, refund.base_amount) == (Decimal("1.20"), Decimal("12.00"))
    assert payment.recorded_by_id == admin.pk
    assert refund.at <= timezone.now()


def test_customer_user_payments_are_labelled(buyer, place_order):
    order = place_order(buyer)
    payment = order_payment_record(order=order, amount="1", actor=buyer)
    assert payment.recorded_by_id is None
    assert f"#{buyer.pk}" in payment.recorded_by_label


def test_authorized_until_money_arrives(buyer, place_order, admin):
    order = place_order(buyer, "10.00")
    assert order_payment_authorize(order=order, actor=admin).payment_status == PaymentStatus.AUTHORIZED
    order_payment_record(order=order, amount="10", actor=admin)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.PAID_IN_FULL


def test_a_paid_cancelled_order_stays_paid_until_refunded(buyer, place_order, admin):
    order = place_order(buyer, "10.00")
    order_payment_record(order=order, amount="10", actor=admin)
    order = order_cancel(order=order, actor=admin)
    assert (order.internal_status, order.payment_status) == ("cancelled", PaymentStatus.PAID_IN_FULL)
    order_refund_record(order=order, amount="10", actor=admin)
    order.refresh_from_db()
    assert order.payment_status == PaymentStatus.REFUNDED


def test_derive_payment_status_table():
    d = Decimal
    assert derive_payment_status(total=d(10), paid=d(0), refunded=d(0)) == "pending"
    assert derive_payment_status(total=d(0), paid=d(0), refunded=d(0)) == "paid_in_full"
    assert derive_payment_status(total=d(10), paid=d(0), refunded=d(0), cancelled=True) == "cancelled"
    assert derive_payment_status(total=d(10), paid=d(0), refunded=d(0), authorized=True) == "authorized"
    assert derive_payment_status(total=d(10), paid=d(5), refunded=d(0)) == "partially_paid"
    assert derive_payment_status(total=d(10), paid=d(5), refunded=d(5)) == "refunded"
    assert derive_payment_status(total=d(10), paid=d(10), refunded=d(1)) == "partially_refunded"


ops = st.lists(
    st.tuples(st.sampled_from(["pay", "refund"]), st.integers(min_value=-100, max_value=15000)), max_size=12
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=ops)
def test_random_payments_and_refunds_keep_the_sums_and_the_status(buyer, place_order, admin, ops):
    """Whatever the sequence, stored sums equal the rows, refusals write nothing, the status fits."""
    order = place_order(buyer, "100.00")
    paid = refunded = Decimal("0")
    for kind, cents in ops:
        amount = Decimal(cents) / 100
        allowed = amount > 0 and (
            amount <= Decimal(100) - paid if kind == "pay" else amount <= paid - refunded
        )
        service = order_payment_record if kind == "pay" else order_refund_record
        try:
            service(order=order, amount=amount, actor=admin)
        except ValidationFailed:
            assert not allowed
        else:
            assert allowed
            if kind == "pay":
                paid += amount
            else:
                refunded += amount
    order.refresh_from_db()
    rows_paid = sum((p.amount for p in order.payments.all()), Decimal("0"))
    rows_refunded = sum((r.amount for r in order.refunds.all()), Decimal("0"))
    assert (order.paid_amount, order.refunded_amount) == (paid, refunded) == (rows_paid, rows_refunded)
    assert Decimal(0) <= refunded <= paid <= order.total
    assert order.payment_status == derive_payment_status(total=order.total, paid=paid, refunded=refunded)
    if refunded:
        assert order.payment_status in ("refunded", "partially_refunded")
    elif paid == order.total:
        assert order.payment_status == "paid_in_full"
    Order.objects.filter(pk=order.pk).delete()


def test_order_events_carry_their_kwargs(buyer, place_order, admin, make_customer):
    with listening(signals.order_placed) as placed:
        order = place_order(buyer, "80.00")
    assert placed == [
        {
            "signal": signals.order_placed,
            "order_id": order.pk,
            "customer_id": buyer.customer_id,
            "customer_user_id": buyer.pk,
            "identifier": order.identifier,
            "currency": "USD",
            "subtotal": Decimal("80.00"),
            "discount": Decimal("0.00"),
            "total": Decimal("80.00"),
            "base_rate": Decimal(1),
            "base_subtotal": Decimal("80.00"),
            "payment_status": "pending",
            "source_quote_id": None,
            "entry_point": "console",
            "actor_id": admin.pk,
        }
    ]
    with listening(signals.order_payment_changed) as changed:
        payment = order_payment_record(order=order, amount="80", actor=admin)
        refund = order_refund_record(order=order, amount="20", actor=buyer)
    assert [(e["old_status"], e["new_status"]) for e in changed] == [
        ("pending", "paid_in_full"),
        ("paid_in_full", "partially_refunded"),
    ]
    assert (changed[0]["payment"], changed[0]["refund"], changed[1]["payment"], changed[1]["refund"]) == (
        payment,
        None,
        None,
        refund,
    )
    assert (changed[1]["paid_amount"], changed[1]["refunded_amount"]) == (Decimal("80"), Decimal("20"))
    assert (changed[0]["actor_id"], changed[1]["actor_id"]) == (admin.pk, None)
    other = make_customer("Other")
    with listening(signals.order_moved) as moved:
        order_move(order=order, customer=other, actor=admin)
    assert moved[0]["old_customer_id"] == buyer.customer_id
    assert moved[0]["new_customer_id"] == other.pk
    assert (moved[0]["old_customer_user_id"], moved[0]["new_customer_user_id"]) == (buyer.pk, None)
    with listening(signals.order_deleted) as deleted:
        order_delete(order=order, actor=admin)
    assert deleted[0]["order_id"] == order.pk
    assert deleted[0]["payment_status"] == "partially_refunded"
    assert deleted[0]["customer_id"] == other.pk


def test_cancel_announces_cancel_and_the_status_change(buyer, place_order, admin):
    order = place_order(buyer)
    with listening(signals.order_cancelled) as cancelled, listening(signals.order_payment_changed) as changed:
        order_cancel(order=order, actor=admin)
    assert cancelled[0]["old_internal_status"] == "open"
    assert cancelled[0]["payment_status"] == "cancelled"
    assert [(e["old_status"], e["new_status"]) for e in changed] == [("pending", "cancelled")]


def test_a_failing_payment_listener_rolls_the_payment_back(buyer, place_order, admin):
    order = place_order(buyer)

    def broken(sender, **kwargs):
        raise RuntimeError("bridge bug")

    signals.order_payment_changed.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError):
            order_payment_record(order=order, amount="5", actor=admin)
    finally:
        signals.order_payment_changed.disconnect(broken)
    order.refresh_from_db()
    assert (order.paid_amount, order.payment_status) == (Decimal(0), "pending")
    assert not OrderPayment.objects.exists()
