"""The commerce and search benchmark suites run on generated data and report a figure with its floor."""

from __future__ import annotations

import random

import pytest
from django.db import connection

from accord.commerce.bench import (
    measure_orders,
    partition,
    place_batches,
    raw_place,
    raw_place_batches,
    run_load,
    sales,
)
from accord.commerce.models import Customer, EntryPoint, Order, OrderLine, OrderPayment
from accord.commerce.services.bulk import customers_bulk_create
from accord.platform.bench import BenchContext
from accord.platform.bench_rows import rows_insert, rows_written
from accord.platform.bench_suites import run_search
from accord.platform.models import AuditEntry, SearchEntry, User
from accord.platform.search import search
from accord.platform.setup import ADMIN_USERNAME, install_ensure
from accord.platform.setup_scale import demo_generate


@pytest.fixture
def generated(db):
    install_ensure()
    demo_generate(scale=0.01, seed=7, progress=lambda *a: None, only=["platform", "commerce.customers"])


def test_load_suite_measures_the_service_and_the_floor_and_writes_nothing(generated) -> None:
    before = Customer.objects.count()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    run_load(ctx)

    (figure,) = ctx.figures
    assert figure.unit == "rows/s"
    assert len(figure.samples) == 2
    assert len(figure.floor_samples) == 2
    assert figure.median > 0
    assert figure.ratio_to_floor is not None
    assert Customer.objects.count() == before  # every run is rolled back


def test_search_suite_reports_percentiles_beside_the_bare_query(generated) -> None:
    ctx = BenchContext(scale=0.01, runs=1, seed=1, log=lambda m: None)

    run_search(ctx)

    assert [f.name for f in ctx.figures] == ["global search p50", "global search p95"]
    assert all(f.samples[0] > 0 and f.floor_samples[0] > 0 for f in ctx.figures)


@pytest.fixture
def generated_orders(db):
    install_ensure()
    demo_generate(
        scale=0.01,
        seed=7,
        progress=lambda *a: None,
        only=["platform", "commerce.customers", "commerce.customer_users", "commerce.orders"],
    )


def _written() -> tuple[int, ...]:
    return (
        Order.objects.count(),
        OrderLine.objects.count(),
        OrderPayment.objects.count(),
        AuditEntry.objects.count(),
        SearchEntry.objects.count(),
    )


def test_orders_suite_places_and_pays_through_the_services_beside_raw_inserts(generated_orders) -> None:
    before = _written()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    measure_orders(ctx, writers=(1,))

    figure, batched = ctx.figures
    assert figure.suite == "orders"
    assert (figure.name, figure.unit) == ("orders placed and paid, 1 writer", "orders/s")
    assert (batched.name, batched.unit) == ("orders placed and paid in batches", "orders/s")
    assert len(batched.samples) == len(batched.floor_samples) == 2
    assert all(s > 0 for s in batched.samples + batched.floor_samples)
    assert "in calls of 500" in batched.note
    assert len(figure.samples) == 2
    assert all(s > 0 for s in figure.samples)
    assert len(figure.floor_samples) == 2
    assert all(s > 0 for s in figure.floor_samples)
    assert figure.goal == "≥ 2,000 orders/s"
    assert "200 orders" in figure.note
    if connection.vendor == "sqlite":  # concurrent writers are measured on PostgreSQL only
        assert "PostgreSQL only" in figure.note
    assert _written() == before  # every run is rolled back


def test_orders_floor_writes_the_rows_the_services_write(generated_orders) -> None:
    """The raw INSERTs give an order, its two lines and its payment, like one placed and paid."""
    admin = User.objects.get(username=ADMIN_USERNAME)
    (sale,) = sales(random.Random(2), admin, 1)
    before = Order.objects.count()

    raw_place([sale])

    order = Order.objects.order_by("-pk").first()
    assert Order.objects.count() == before + 1
    assert order.customer_id == sale.customer.pk
    assert order.payment_status == "paid_in_full"
    assert order.lines.count() == 2
    assert sum(line.total for line in order.lines.all()) == order.total
    assert [p.amount for p in order.payments.all()] == [order.total]


def test_batch_service_and_its_floor_write_the_same_rows(generated_orders) -> None:
    """In batches as one by one: each order, its two lines and one payment of its whole total."""
    admin = User.objects.get(username=ADMIN_USERNAME)
    batch = sales(random.Random(4), admin, 3)
    for place_them in (lambda: place_batches(batch, admin), lambda: raw_place_batches(batch)):
        before = Order.objects.count()

        place_them()

        orders = list(Order.objects.order_by("-pk")[:3])[::-1]
        assert Order.objects.count() == before + 3
        assert [o.customer_id for o in orders] == [sale.customer.pk for sale in batch]
        for order in orders:
            assert order.payment_status == "paid_in_full"
            assert order.lines.count() == 2
            assert sum(line.total for line in order.lines.all()) == order.total
            assert [p.amount for p in order.payments.all()] == [order.total]


def test_orders_are_split_among_writers_by_hierarchy(generated_orders) -> None:
    admin = User.objects.get(username=ADMIN_USERNAME)
    batch = sales(random.Random(3), admin, 60)

    groups = partition(batch, 8)

    assert sum(len(g) for g in groups) == 60
    roots = [{s.customer.root_id or s.customer.pk for s in group} for group in groups]
    assert all(not (a & b) for i, a in enumerate(roots) for b in roots[i + 1 :])


def test_load_floor_writes_exactly_the_rows_the_service_writes(generated) -> None:
    """The floor is the same job: every row the service inserted (customers, accounts, links, audit,
    search), written back in bare SQL with the same values."""
    admin = User.objects.get(username=ADMIN_USERNAME)
    rows = [{"name": "Floor Root", "parent": None}, {"name": "Floor Child", "parent": 0}]

    written = rows_written(
        lambda: customers_bulk_create(rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)
    )
    tables = {t.table: t for t in written}
    assert len(tables["commerce_customer"].rows) == 2
    assert len(tables["platform_auditentry"].rows) >= 2
    assert len(tables["platform_searchentry"].rows) >= 2
    assert not Customer.objects.filter(name__startswith="Floor ").exists()  # the capture rolled back

    assert rows_insert(written) == sum(len(t.rows) for t in written)
    child = Customer.objects.get(name="Floor Child")
    assert child.parent.name == "Floor Root"
    assert child.path == f"{child.parent.path}{child.pk}/"
    hits = {(hit.entity, hit.object_id) for hit in search(admin, "floor child")}
    assert ("commerce.customer", child.pk) in hits  # the full-text index has them too (and their accounts)


def test_the_list_endpoints_are_registered_for_the_api_suite() -> None:
    from accord.platform.bench_suites import bench_endpoints

    assert bench_endpoints.get("orders-list").paths(6)[4:] == [
        "/api/v1/orders?page=5&page_size=50",
        "/api/v1/orders?page=1&page_size=50",
    ]
    assert bench_endpoints.get("customers-list").paths(1) == ["/api/v1/customers?page=1&page_size=50"]
