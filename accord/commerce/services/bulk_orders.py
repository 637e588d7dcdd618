"""Bulk creation of orders (generated data, imports) in a few statements per batch.

Rows are validated like `order_create` (lines, quantities, prices, discount), then written with
set-based INSERTs: the orders with their identifiers (PostgreSQL reserves their ids from the
sequence first; SQLite gives the identifiers in one UPDATE after the INSERT), their lines, and the
payments and refunds that the rows carry; `paid_amount`, `refunded_amount` and `payment_status` are
computed before the insert from those amounts, so they agree with the rows.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from accord.commerce import signals
from accord.commerce.models import (
    CustomerUser,
    Order,
    OrderLine,
    OrderPayment,
    OrderRefund,
    derive_payment_status,
)
from accord.commerce.services._common import audit_actor, console_actor_id, set_owner
from accord.commerce.services._documents import clean_amount, clean_price, clean_quantity, line_total
from accord.platform import audit, money
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.rows import ids_reserve, insert_rows, instances_insert
from accord.platform.search import search_index_add

BATCH = 1000
LINE_FIELDS = ("order", "product", "sku", "name", "quantity", "unit_price", "total")
MONEY_FIELDS = (
    "order",
    "amount",
    "currency",
    "at",
    "base_rate",
    "base_amount",
    "recorded_by",
    "recorded_by_label",
    "created_at",
)


def _check_customer_user(row: Mapping[str, Any], prefix: str, user_customers: Mapping[int, int]) -> None:
    """As `order_create`: the customer user (object or id) must be one of the order's customer."""
    user = row.get("customer_user")
    pk = row.get("customer_user_id") or getattr(user, "pk", None)
    if pk is None:
        return
    owner_id = user.customer_id if user is not None else user_customers.get(pk)
    if owner_id is None:
        raise ValidationFailed({f"{prefix}.customer_user_id": f"Customer user {pk} does not exist."})
    if owner_id != row["customer"].pk:
        raise ValidationFailed(
            {f"{prefix}.customer_user_id": "The customer user belongs to another customer."}
        )


def _line(line: Mapping[str, Any], prefix: str, organization_id: int, currency: str) -> tuple[Any, ...]:
    """A line's values, checked as `order_create` checks them: the product of the organization, and
    its list price only when it is in the order's currency."""
    product = line["product"]
    if product.organization_id != organization_id:
        raise ValidationFailed({f"{prefix}.product_id": "The product belongs to another organization."})
    quantity = clean_quantity(line["quantity"], f"{prefix}.quantity")
    price = line.get("unit_price")
    if price is None:
        if product.currency != currency:
            raise ValidationFailed({f"{prefix}.unit_price": f"A unit price in {currency} is required."})
        price = product.unit_price
    price = clean_price(price, f"{prefix}.unit_price")
    return (product.pk, product.sku, product.name, quantity, price, line_total(quantity, price))


def _user_customers(rows: Sequence[Mapping[str, Any]]) -> dict[int, int]:
    """Customer users given by id only, with their customer: one query for the whole call."""
    ids = {
        row["customer_user_id"]
        for row in rows
        if row.get("customer_user_id") and not row.get("customer_user")
    }
    if not ids:
        return {}
    return dict(CustomerUser.objects.filter(pk__in=ids).values_list("pk", "customer_id"))


def _order(
    row: Mapping[str, Any],
    index: int,
    owner: User,
    rates: dict[str, Decimal],
    user_customers: Mapping[int, int],
) -> tuple[Order, list[tuple[Any, ...]]]:
    """An unsaved order and its lines' values (`LINE_FIELDS` less the order) from a row:
    customer, customer_user?, currency, lines, paid?, refunded?."""
    prefix = f"rows.{index}"
    currency = money.validate_currency(row.get("currency"), field=f"{prefix}.currency")
    if currency not in rates:
        try:
            rates[currency] = money.rate_on(currency)
        except ValidationFailed as exc:  # no rate for the day: the row's currency is the field
            raise ValidationFailed({f"{prefix}.currency": exc.field_errors["currency"]}) from None
    customer = row["customer"]
    if customer.organization_id != owner.organization_id:
        raise ValidationFailed({f"{prefix}.customer": "The customer belongs to another organization."})
    _check_customer_user(row, prefix, user_customers)
    lines = [
        _line(line, f"{prefix}.lines.{n}", customer.organization_id, currency)
        for n, line in enumerate(row.get("lines") or [])
    ]
    if not lines:
        raise ValidationFailed({f"{prefix}.lines": "An order needs at least one line."})
    po_number = str(row.get("po_number") or "").strip()
    if len(po_number) > 255:
        raise ValidationFailed({f"{prefix}.po_number": "At most 255 characters."})
    subtotal = sum((line[-1] for line in lines), Decimal("0.00"))
    total = subtotal - clean_price(row.get("discount", 0), f"{prefix}.discount")
    if total < 0:
        raise ValidationFailed({f"{prefix}.discount": "The discount cannot exceed the subtotal."})
    paid = clean_amount(row["paid"], f"{prefix}.paid") if row.get("paid") else Decimal("0.00")
    refunded = clean_amount(row["refunded"], f"{prefix}.refunded") if row.get("refunded") else Decimal("0.00")
    if paid > total or refunded > paid:
        raise ValidationFailed({f"{prefix}.paid": "Payments ≤ total, refunds ≤ payments."})
    rate = rates[currency]
    order = Order(
        identifier=f"new-{uuid.uuid4().hex}",
        customer=customer,
        customer_user_id=row.get("customer_user_id") or getattr(row.get("customer_user"), "pk", None),
        po_number=po_number,
        currency=currency,
        subtotal=subtotal,
        discount=subtotal - total,
        total=total,
        base_rate=rate,
        base_subtotal=money.quantize(subtotal * rate),
        base_total=money.quantize(total * rate),
        paid_amount=paid,
        refunded_amount=refunded,
        payment_status=derive_payment_status(total=total, paid=paid, refunded=refunded),
        entry_point=str(row.get("entry_point") or "demo"),
    )
    set_owner(order, owner)
    return order, lines


def _money_rows(orders: Sequence[Order], field: str, actor: Any) -> list[tuple[Any, ...]]:
    """Values of `MONEY_FIELDS` for one payment (or refund) row per order that carries the amount."""
    now, label = timezone.now(), str(audit_actor(actor) or "System")[:255]
    actor_id = actor.pk if isinstance(actor, User) else None
    return [
        (
            order.pk,
            amount,
            order.currency,
            now,
            order.base_rate,
            money.quantize(amount * order.base_rate),
            actor_id,
            label,
            now,
        )
        for order in orders
        if (amount := getattr(order, field))
    ]


def _identifiers_write(orders: Sequence[Order]) -> None:
    """SQLite: store the identifiers given once the ids were known."""
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {connection.ops.quote_name(Order._meta.db_table)} SET identifier = %s WHERE id = %s",  # noqa: S608
            [(order.identifier, order.pk) for order in orders],
        )


def _identify(order: Order) -> None:
    # The same "SO-%06d" as a single order gets (every digit past 999,999: SO-1000000).
    order.identifier = f"SO-{order.pk:06d}"


def orders_bulk_create(
    *, rows: Sequence[Mapping[str, Any]], owner: User, entry_point: str, actor: Any
) -> list[Order]:
    """Create orders with their lines (and payments/refunds as single rows); one event for the batch."""
    rates: dict[str, Decimal] = {}
    users = _user_customers(rows)
    built = [
        _order({**row, "entry_point": entry_point}, n, owner, rates, users) for n, row in enumerate(rows)
    ]
    orders = [order for order, _ in built]
    with transaction.atomic():
        reserved = ids_reserve(Order, len(orders))
        if reserved is not None:  # PostgreSQL: ids first, so each order is inserted with its identifier
            for order, pk in zip(orders, reserved, strict=True):
                order.pk = pk
                _identify(order)
            instances_insert(orders)
        else:
            instances_insert(orders)
            for order in orders:
                _identify(order)
            _identifiers_write(orders)
        ids = [o.pk for o in orders]
        lines = [(order.pk, *line) for order, order_lines in built for line in order_lines]
        insert_rows(OrderLine, lines, LINE_FIELDS)
        insert_rows(OrderPayment, _money_rows(orders, "paid_amount", actor), MONEY_FIELDS)
        insert_rows(OrderRefund, _money_rows(orders, "refunded_amount", actor), MONEY_FIELDS)
        audit.record_bulk_create(instances=orders, actor=audit_actor(actor))
        search_index_add(entity="commerce.order", ids=ids)  # new orders: no entry to replace
        signals.announce(
            signals.orders_bulk_created,
            Order,
            order_ids=ids,
            customer_ids=sorted({o.customer_id for o in orders}),
            entry_point=entry_point,
            actor_id=console_actor_id(actor),
        )
    return orders
