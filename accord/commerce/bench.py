"""Commerce's benchmark suites: bulk load through the services beside the same rows in bare SQL, and
orders placed and paid (one by one, and in batches through the batch service) beside raw INSERTs.

Both write inside transactions they roll back, so the bench database stays the one the generator
made and every run measures the same work (decision 0071).
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from accord.commerce.models import (
    Customer,
    CustomerUser,
    EntryPoint,
    Order,
    OrderLine,
    OrderPayment,
    PaymentStatus,
    Product,
    ProductStatus,
)
from accord.commerce.services._common import set_owner
from accord.commerce.services._documents import line_total
from accord.commerce.services.bulk import customers_bulk_create
from accord.commerce.services.bulk_orders import orders_bulk_create
from accord.commerce.services.orders import order_create
from accord.commerce.services.payments import order_payment_record
from accord.platform import money
from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites
from accord.platform.bench_rows import rows_insert, rows_written
from accord.platform.bench_suites import BenchEndpoint, bench_endpoints
from accord.platform.generate import COMPANY_KINDS, COMPANY_WORDS
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME

CURRENCY = "USD"
WRITERS = 8
BATCH = 500  # orders per call of the batch service, its API's limit
ORDERS_GOAL = "≥ 2,000 orders/s"


class _Rollback(Exception):
    pass


def _rows(rng: random.Random, count: int) -> list[dict[str, Any]]:
    """A realistic mix: 70% roots, the rest children of an earlier root."""
    rows: list[dict[str, Any]] = []
    roots: list[int] = []
    for n in range(count):
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {n}"
        if roots and rng.random() < 0.3:
            rows.append({"name": name, "parent": rng.choice(roots)})
        else:
            roots.append(n)
            rows.append({"name": name, "parent": None})
    return rows


def _timed_rolled_back(fn: Any) -> float:
    start = time.perf_counter()
    try:
        with transaction.atomic():
            fn()
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def run_load(ctx: BenchContext) -> None:
    """Customers through the bulk service beside the same rows (customers and everything the service
    derives from them: accounts, links, audit, search documents) written in bare SQL."""
    admin = User.objects.get(username=ADMIN_USERNAME)
    count = max(1000, int(10_000 * min(ctx.scale, 1)))
    rows = _rows(random.Random(ctx.seed), count)

    def load() -> None:
        customers_bulk_create(rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)

    written = rows_written(load)
    total = sum(len(t.rows) for t in written)
    own, floor = [], []
    for _ in range(ctx.runs):
        own.append(total / _timed_rolled_back(load))
        floor.append(total / _timed_rolled_back(lambda: rows_insert(written)))
    tables = ", ".join(f"{t.table} {len(t.rows):,}" for t in sorted(written, key=lambda t: -len(t.rows)))
    note = (
        f"{count:,} customers (30% children) = {total:,} rows written ({tables}); "
        "floor = the same rows, one executemany per table"
    )
    ctx.add(
        Figure("load", "customers through the services", "rows/s", own, floor, True, "≥ 50,000 rows/s", note)
    )


@dataclass(frozen=True)
class Sale:
    """One order to place and pay: its inputs for the services, and the same rows for raw INSERTs."""

    customer: Customer
    user: CustomerUser
    lines: list[dict[str, Any]]
    picked: list[tuple[Product, Decimal]]
    order_row: tuple[Any, ...]
    line_rows: list[tuple[Any, ...]]
    payment_row: tuple[Any, ...]


def _insert_sql(model: type[models.Model], first: str | None = None) -> tuple[str, list[Any]]:
    """An INSERT of every concrete column but the id (`first`, the parent's id, leads when given)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname != first]
    columns = ([first] if first else []) + [f.column for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    return sql, fields


def _values(instance: models.Model, fields: list[Any]) -> tuple[Any, ...]:
    return tuple(f.get_db_prep_save(f.pre_save(instance, True), connection) for f in fields)


def _sale(
    customer_user: CustomerUser, products: list[Product], admin: User, rng: random.Random, rate: Decimal
) -> Sale:
    picked = [(p, Decimal(rng.randint(1, 5))) for p in rng.sample(products, 2)]
    lines = [
        OrderLine(product=p, sku=p.sku, name=p.name, quantity=q, unit_price=p.unit_price) for p, q in picked
    ]
    for line in lines:
        line.total = line_total(line.quantity, line.unit_price)
    total = sum((line.total for line in lines), Decimal("0.00"))
    order = Order(
        customer=customer_user.customer,
        customer_user=customer_user,
        identifier=f"bench-{uuid.UUID(int=rng.getrandbits(128)).hex}",
        currency=CURRENCY,
        subtotal=total,
        total=total,
        base_rate=rate,
        base_subtotal=money.quantize(total * rate),
        base_total=money.quantize(total * rate),
        payment_status=PaymentStatus.PAID_IN_FULL,
        paid_amount=total,
        entry_point="api",
    )
    set_owner(order, admin)
    payment = OrderPayment(
        amount=total,
        currency=CURRENCY,
        base_rate=rate,
        base_amount=money.quantize(total * rate),
        recorded_by=admin,
        recorded_by_label=str(admin)[:255],
    )
    order_row = _values(order, _insert_sql(Order)[1])
    payment.at = order.created_at  # set by the line above, as saving would
    return Sale(
        customer_user.customer,
        customer_user,
        [{"product_id": p.pk, "quantity": q} for p, q in picked],
        picked,
        order_row,
        [_values(line, _insert_sql(OrderLine, "order_id")[1]) for line in lines],
        _values(payment, _insert_sql(OrderPayment, "order_id")[1]),
    )


def sales(rng: random.Random, admin: User, count: int) -> list[Sale]:
    """`count` orders of random buyers, two random products each (generated USD products)."""
    organization_id = admin.organization_id or 0
    users = list(
        CustomerUser.objects.filter(enabled=True, customer__organization_id=organization_id)
        .select_related("customer")
        .order_by("pk")[:5000]
    )
    products = list(
        Product.objects.filter(
            organization_id=organization_id, currency=CURRENCY, status=ProductStatus.ENABLED
        ).order_by("pk")[:40]
    )
    if not users or len(products) < 2:
        return []
    rate = money.rate_on(CURRENCY)
    return [_sale(user, products, admin, rng, rate) for user in rng.choices(users, k=count)]


def place(batch: list[Sale], admin: User) -> None:
    """Through the services, one order at a time: placed, then paid in full."""
    for sale in batch:
        order = order_create(
            customer=sale.customer,
            customer_user=sale.user,
            lines=sale.lines,
            currency=CURRENCY,
            entry_point="api",
            actor=admin,
        )
        order_payment_record(order=order, amount=order.total, actor=admin)


def raw_place(batch: list[Sale]) -> None:
    """The floor: the same order, line and payment rows as bare INSERTs, one order at a time."""
    order_sql = _insert_sql(Order)[0] + " RETURNING id"
    line_sql, payment_sql = _insert_sql(OrderLine, "order_id")[0], _insert_sql(OrderPayment, "order_id")[0]
    with connection.cursor() as cursor:
        for sale in batch:
            cursor.execute(order_sql, sale.order_row)
            order_id = cursor.fetchone()[0]
            cursor.executemany(line_sql, [(order_id, *row) for row in sale.line_rows])
            cursor.execute(payment_sql, (order_id, *sale.payment_row))


def _batch_rows(group: list[Sale]) -> list[dict[str, Any]]:
    """The sales as `orders_bulk_create` rows, each paid in full."""
    rows = []
    for sale in group:
        lines = [{"product": product, "quantity": quantity} for product, quantity in sale.picked]
        paid = sum((line_total(q, p.unit_price) for p, q in sale.picked), Decimal("0.00"))
        rows.append({"customer": sale.customer, "customer_user": sale.user, "currency": CURRENCY})
        rows[-1].update(lines=lines, paid=paid)
    return rows


def place_batches(batch: list[Sale], admin: User) -> None:
    """Through the batch service (`POST /api/v1/orders/batch`): BATCH orders per call."""
    for start in range(0, len(batch), BATCH):
        rows = _batch_rows(batch[start : start + BATCH])
        orders_bulk_create(rows=rows, owner=admin, entry_point="api", actor=admin)


def raw_place_batches(batch: list[Sale]) -> None:
    """The batch floor: per BATCH orders, one multi-row INSERT … RETURNING of the orders, then the
    lines and payments in one `executemany` each."""
    sql, _ = _insert_sql(Order)
    head, values = sql.split(" VALUES ")
    line_sql, payment_sql = _insert_sql(OrderLine, "order_id")[0], _insert_sql(OrderPayment, "order_id")[0]
    with connection.cursor() as cursor:
        for start in range(0, len(batch), BATCH):
            group = batch[start : start + BATCH]
            cursor.execute(
                f"{head} VALUES {', '.join([values] * len(group))} RETURNING id",
                [value for sale in group for value in sale.order_row],
            )
            ids = [row[0] for row in cursor.fetchall()]
            cursor.executemany(
                line_sql, [(i, *row) for i, sale in zip(ids, group, strict=True) for row in sale.line_rows]
            )
            cursor.executemany(
                payment_sql, [(i, *sale.payment_row) for i, sale in zip(ids, group, strict=True)]
            )


def partition(batch: list[Sale], writers: int) -> list[list[Sale]]:
    """Orders split among writers by customer hierarchy, so no two writers touch the same account."""
    roots = sorted({sale.customer.root_id or sale.customer.pk for sale in batch})
    slot = {root: n % writers for n, root in enumerate(roots)}
    groups: list[list[Sale]] = [[] for _ in range(writers)]
    for sale in batch:
        groups[slot[sale.customer.root_id or sale.customer.pk]].append(sale)
    return [group for group in groups if group]


def concurrently(groups: list[list[Sale]], work: Callable[[list[Sale]], None]) -> float:
    """Seconds until every writer (a thread with its own connection and transaction) is done; each
    writer's transaction is then rolled back."""
    barrier = threading.Barrier(len(groups) + 1)
    finished: list[float] = []
    failures: list[BaseException] = []

    def writer(group: list[Sale]) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                work(group)
                finished.append(time.perf_counter())
                raise _Rollback
        except _Rollback:
            pass
        except BaseException as exc:  # reported by the caller
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(group,)) for group in groups]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    return max(finished) - start


def measure_orders(ctx: BenchContext, *, writers: tuple[int, ...]) -> None:
    admin = User.objects.get(username=ADMIN_USERNAME)
    count = max(200, min(2000, int(20_000 * ctx.scale)))
    batch = sales(random.Random(ctx.seed), admin, count)
    if not batch:
        ctx.log("orders: no customer user or products to order (run `accord demo --scale` first)")
        return
    bridge = apps.is_installed("accord.crm_commerce")
    kept = "lifetime values kept current in each transaction" if bridge else "no lifetime values (no bridge)"
    for n in writers:
        own, floor = [], []
        for _ in range(ctx.runs):
            if n == 1:
                own.append(count / _timed_rolled_back(lambda: place(batch, admin)))
                floor.append(count / _timed_rolled_back(lambda: raw_place(batch)))
            else:
                groups = partition(batch, n)
                own.append(count / concurrently(groups, lambda group: place(group, admin)))
                floor.append(count / concurrently(groups, raw_place))
        note = f"{count:,} orders of 2 lines, each paid in full; {kept}; rolled back"
        if connection.vendor == "sqlite" and writers == (1,):
            note += f"; SQLite takes one writer at a time, so {WRITERS} writers run on PostgreSQL only"
        name = f"orders placed and paid, {n} writer{'s' if n > 1 else ''}"
        ctx.add(Figure("orders", name, "orders/s", own, floor, True, ORDERS_GOAL, note))
    # One untimed call each first, as the account view's warm-up pass: a server taking a stream of
    # batches has its statements prepared (the first call prepares about twenty).
    _timed_rolled_back(lambda: place_batches(batch[:BATCH], admin))
    _timed_rolled_back(lambda: raw_place_batches(batch[:BATCH]))
    own = [count / _timed_rolled_back(lambda: place_batches(batch, admin)) for _ in range(ctx.runs)]
    floor = [count / _timed_rolled_back(lambda: raw_place_batches(batch)) for _ in range(ctx.runs)]
    note = f"{count:,} orders of 2 lines in calls of {BATCH}, each paid in full; {kept}; rolled back"
    ctx.add(
        Figure("orders", "orders placed and paid in batches", "orders/s", own, floor, True, ORDERS_GOAL, note)
    )


def run_orders(ctx: BenchContext) -> None:
    writers = (1, WRITERS) if connection.vendor == "postgresql" else (1,)
    measure_orders(ctx, writers=writers)


def _customer_paths(n: int) -> list[str]:
    ids = list(Customer.objects.order_by("?").values_list("pk", flat=True)[:n])
    return [f"/api/v1/customers/{pk}" for pk in ids]


def _customer_list_paths(n: int) -> list[str]:
    return [f"/api/v1/customers?page={1 + i % 5}&page_size=50" for i in range(n)]


def _order_list_paths(n: int) -> list[str]:
    return [f"/api/v1/orders?page={1 + i % 5}&page_size=50" for i in range(n)]


def register() -> None:
    bench_suites.register("load", BenchSuite("load", "Bulk load through the services", run_load, 10))
    bench_suites.register("orders", BenchSuite("orders", "Orders placed and paid", run_orders, 12))
    bench_endpoints.register(
        "customers-list",
        BenchEndpoint(
            "customers-list", "GET /api/v1/customers (50 a page)", _customer_list_paths, "≥ 300 req/s"
        ),
    )
    bench_endpoints.register(
        "orders-list",
        BenchEndpoint("orders-list", "GET /api/v1/orders (50 a page)", _order_list_paths, "≥ 300 req/s"),
    )
    bench_endpoints.register(
        "customers-detail", BenchEndpoint("customers-detail", "GET /api/v1/customers/{id}", _customer_paths)
    )
