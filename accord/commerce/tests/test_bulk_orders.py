"""Bulk orders (generated data): set-based statements, stored sums agree with payment rows,
one event per batch, and the `--scale` generator's orders with 2 lines each."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from accord.commerce import signals
from accord.commerce.models import Order, OrderLine, OrderPayment, OrderRefund, derive_payment_status
from accord.commerce.scale_orders import generate_orders
from accord.commerce.services.bulk_orders import orders_bulk_create
from accord.platform.errors import ValidationFailed
from accord.platform.generate import ScaleContext
from accord.platform.models import AuditEntry, SearchEntry


def _rows(buyer, products, n):
    return [
        {
            "customer": buyer.customer,
            "customer_user": buyer,
            "currency": "USD",
            "lines": [{"product": products[0], "quantity": 1}, {"product": products[1], "quantity": 2}],
            "paid": ("30.00", "10.00", None)[i % 3],
            "refunded": ("5.00", None, None)[i % 3],
        }
        for i in range(n)
    ]


def test_bulk_orders_agree_with_their_rows_and_are_announced_once(buyer, make_product, admin):
    products = [make_product("10.00"), make_product("10.00")]
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    signals.orders_bulk_created.connect(listen)
    try:
        orders = orders_bulk_create(
            rows=_rows(buyer, products, 6), owner=admin, entry_point="demo", actor=None
        )
    finally:
        signals.orders_bulk_created.disconnect(listen)
    assert len(heard) == 1
    assert heard[0]["order_ids"] == [o.pk for o in orders]
    assert heard[0]["customer_ids"] == [buyer.customer_id]
    for order in Order.objects.annotate(n=Count("lines")):
        assert order.identifier == f"SO-{order.pk:06d}"
        assert order.n == 2
        assert order.total == Decimal("30.00")
        paid = OrderPayment.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or 0
        refunded = OrderRefund.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or 0
        assert (order.paid_amount, order.refunded_amount) == (paid, refunded)
        assert order.payment_status == derive_payment_status(total=order.total, paid=paid, refunded=refunded)
    assert set(Order.objects.values_list("payment_status", flat=True)) == {
        "partially_refunded",
        "partially_paid",
        "pending",
    }
    assert AuditEntry.objects.filter(entity="commerce.order", action="create").count() == 6
    assert SearchEntry.objects.filter(entity="commerce.order").count() == 6


def test_bulk_order_statements_grow_by_batches_not_by_rows(buyer, make_product, admin):
    """SQLite caps the variables of one INSERT, so a large batch may take an extra statement."""
    products = [make_product("10.00"), make_product("10.00")]
    with CaptureQueriesContext(connection) as small:
        orders_bulk_create(rows=_rows(buyer, products, 3), owner=admin, entry_point="demo", actor=None)
    with CaptureQueriesContext(connection) as large:
        orders_bulk_create(rows=_rows(buyer, products, 60), owner=admin, entry_point="demo", actor=None)
    assert len(large.captured_queries) <= len(small.captured_queries) + 3


def test_bulk_orders_refuse_impossible_amounts_naming_the_row(buyer, make_product, admin):
    products = [make_product("10.00"), make_product("10.00")]
    rows = _rows(buyer, products, 3)
    rows[2]["paid"] = "30.01"
    with pytest.raises(ValidationFailed) as exc:
        orders_bulk_create(rows=rows, owner=admin, entry_point="demo", actor=None)
    assert set(exc.value.field_errors) == {"rows.2.paid"}
    assert not Order.objects.exists()


def test_scale_generator_adds_orders_with_two_lines_each(buyer, make_customer, admin, tree):
    customers = [buyer.customer, make_customer("Second")]
    ctx = ScaleContext(
        scale=0.0001,
        seed=7,
        organization=tree.org,
        admin=admin,
        rng=random.Random(7),
        progress=lambda *args: None,
        shared={"customer_ids": [c.pk for c in customers], "customers": customers},
    )
    generate_orders(ctx)
    assert Order.objects.count() == 20
    assert set(Order.objects.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    assert OrderLine.objects.count() == 40
    assert Order.objects.filter(customer_user=buyer).count() == 10
    assert Order.objects.filter(payment_status="paid_in_full").exists()


def test_identifiers_keep_every_digit_past_a_million_orders(buyer, make_product, admin):
    """Order 1,000,000 is SO-1000000, not a six-digit cut that repeats SO-100000 (seen at scale 10)."""
    products = [make_product("10.00"), make_product("10.00")]
    orders_bulk_create(rows=_rows(buyer, products, 1), owner=admin, entry_point="demo", actor=None)
    with connection.cursor() as cursor:  # the next order ids: 999,999 and 1,000,000
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = 999998 WHERE name = 'commerce_order'")
        else:
            cursor.execute("SELECT setval(pg_get_serial_sequence('commerce_order', 'id'), 999998)")
    orders = orders_bulk_create(rows=_rows(buyer, products, 2), owner=admin, entry_point="demo", actor=None)
    stored = dict(Order.objects.filter(pk__in=[o.pk for o in orders]).values_list("pk", "identifier"))
    assert stored == {999999: "SO-999999", 1000000: "SO-1000000"}
    assert [o.identifier for o in orders] == ["SO-999999", "SO-1000000"]


def test_a_bulk_audit_entry_holds_what_a_single_create_records(buyer, place_order, admin):
    """record_bulk_create prepares each field's conversion once for all rows: the entry it writes for
    an order equals record_create's (decimals as stored, keys as ids, choices as values, no blanks)."""
    from accord.platform import audit

    order = place_order(buyer, "12.5", po_number="")
    single = audit.record_create(instance=order, actor=admin).changes
    audit.record_bulk_create(instances=[order], actor=admin)
    bulk = AuditEntry.objects.filter(entity="commerce.order", object_id=str(order.pk)).latest("pk").changes

    assert bulk == single
    assert bulk["total"] == {"old": None, "new": "12.50"}
    assert bulk["customer"] == {"old": None, "new": buyer.customer_id}
    assert bulk["internal_status"] == {"old": None, "new": order.internal_status}
    assert "po_number" not in bulk
