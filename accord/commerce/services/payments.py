"""Payments, refunds and cancellation of orders, and the payment status they imply.

`paid_amount` / `refunded_amount` are kept equal to the sums of the payment and refund rows in
the same transaction (the order row is locked first), and `payment_status` is recomputed from
them every time (`derive_payment_status`). A payment may not exceed what is outstanding (the
total less every payment), a refund may not exceed what was paid less what was refunded.
Each row fixes the base-currency rate of its moment.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.commerce import signals
from accord.commerce.models import (
    InternalStatus,
    Order,
    OrderPayment,
    OrderRefund,
    derive_payment_status,
)
from accord.commerce.services._common import audit_actor, console_actor_id
from accord.commerce.services._documents import clean_amount, order_locked
from accord.platform import audit, money
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User
from accord.platform.rows import instances_insert


def _status_of(order: Order) -> str:
    return derive_payment_status(
        total=order.total,
        paid=order.paid_amount,
        refunded=order.refunded_amount,
        cancelled=order.internal_status == InternalStatus.CANCELLED,
        authorized=order.payment_authorized,
    )


def _announce_change(
    order: Order,
    old_status: str,
    actor: Any,
    payment: OrderPayment | None = None,
    refund: OrderRefund | None = None,
) -> None:
    signals.announce(
        signals.order_payment_changed,
        Order,
        order_id=order.pk,
        customer_id=order.customer_id,
        old_status=old_status,
        new_status=order.payment_status,
        paid_amount=order.paid_amount,
        refunded_amount=order.refunded_amount,
        currency=order.currency,
        subtotal=order.subtotal,
        base_subtotal=order.base_subtotal,
        base_rate=order.base_rate,
        payment=payment,
        refund=refund,
        actor_id=console_actor_id(actor),
    )


def _row(model: type[Any], order: Order, amount: Decimal, at: dt.datetime | None, actor: Any) -> Any:
    at = at or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    rate = money.rate_on(order.currency, timezone.localdate(at))
    row = model(
        order=order,
        amount=amount,
        currency=order.currency,
        at=at,
        base_rate=rate,
        base_amount=money.quantize(amount * rate),
        recorded_by=actor if isinstance(actor, User) else None,
        recorded_by_label=str(audit_actor(actor) or "System")[:255],
    )
    return instances_insert([row])[0]  # every payment's path: no per-value statement compiling


def order_payment_record(
    *, order: Order, amount: Decimal | str, paid_at: dt.datetime | None = None, actor: Any
) -> OrderPayment:
    """Record money received for the order (at most what is outstanding)."""
    amount = clean_amount(amount)
    with transaction.atomic():
        order = order_locked(order)
        if order.internal_status == InternalStatus.CANCELLED:
            raise Conflict("The order is cancelled; it takes no more payments.")
        if amount > order.outstanding:
            raise ValidationFailed(
                {"amount": f"At most {order.outstanding} {order.currency} is outstanding."}
            )
        payment = _row(OrderPayment, order, amount, paid_at, actor)
        old_status = order.payment_status
        with audit.tracking(order, actor=audit_actor(actor)) as extra:
            order.paid_amount += amount
            order.payment_status = _status_of(order)
            order.save(update_fields=["paid_amount", "payment_status", "updated_at"])  # the row is fresh
            extra["payment"] = {"old": None, "new": f"{amount} {order.currency} at {payment.at.isoformat()}"}
        _announce_change(order, old_status, actor, payment=payment)
    return payment


def order_refund_record(
    *, order: Order, amount: Decimal | str, refunded_at: dt.datetime | None = None, actor: Any
) -> OrderRefund:
    """Record money given back (at most what was paid and not yet refunded)."""
    amount = clean_amount(amount)
    with transaction.atomic():
        order = order_locked(order)
        if amount > order.refundable:
            raise ValidationFailed(
                {"amount": f"At most {order.refundable} {order.currency} was paid and not refunded."}
            )
        refund = _row(OrderRefund, order, amount, refunded_at, actor)
        old_status = order.payment_status
        with audit.tracking(order, actor=audit_actor(actor)) as extra:
            order.refunded_amount += amount
            order.payment_status = _status_of(order)
            order.save(update_fields=["refunded_amount", "payment_status", "updated_at"])
            extra["refund"] = {"old": None, "new": f"{amount} {order.currency} at {refund.at.isoformat()}"}
        _announce_change(order, old_status, actor, refund=refund)
    return refund


def order_payment_authorize(*, order: Order, actor: Any) -> Order:
    """Note that the payment was authorized (shown as `authorized` until money is received)."""
    with transaction.atomic():
        order = order_locked(order)
        if order.internal_status == InternalStatus.CANCELLED:
            raise Conflict("The order is cancelled.")
        if order.payment_authorized:
            return order
        old_status = order.payment_status
        with audit.tracking(order, actor=audit_actor(actor)):
            order.payment_authorized = True
            order.payment_status = _status_of(order)
            order.save()
        if order.payment_status != old_status:
            _announce_change(order, old_status, actor)
    return order


def order_cancel(*, order: Order, actor: Any) -> Order:
    """Cancel an open or processing order. Money already paid stays recorded (refund it separately)."""
    with transaction.atomic():
        order = order_locked(order)
        if order.internal_status not in (InternalStatus.OPEN, InternalStatus.PROCESSING):
            raise Conflict(
                f"An order that is {order.get_internal_status_display().lower()} cannot be cancelled."
            )
        old_internal, old_status = order.internal_status, order.payment_status
        with audit.tracking(order, actor=audit_actor(actor)):
            order.internal_status = InternalStatus.CANCELLED
            order.payment_status = _status_of(order)
            order.save()
        signals.announce(
            signals.order_cancelled,
            Order,
            order_id=order.pk,
            customer_id=order.customer_id,
            old_internal_status=old_internal,
            payment_status=order.payment_status,
            actor_id=console_actor_id(actor),
        )
        if order.payment_status != old_status:
            _announce_change(order, old_status, actor)
    return order
