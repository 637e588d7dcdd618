"""Commerce's benchmark suites: bulk load through the services beside a raw `executemany`.

The load suite writes inside a transaction it rolls back, so the bench database stays the one
the generator made and every run measures the same work.
"""

from __future__ import annotations

import random
import time
from typing import Any

from django.db import connection, transaction

from accord.commerce.models import Customer, EntryPoint
from accord.commerce.services.bulk import customers_bulk_create
from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites
from accord.platform.bench_suites import BenchEndpoint, bench_endpoints
from accord.platform.generate import COMPANY_KINDS, COMPANY_WORDS
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME


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


def _raw_insert(rows: list[dict[str, Any]], admin: User) -> None:
    """The floor: the same customer rows in one `executemany`, no derived data, no audit, no index."""
    table = Customer._meta.db_table
    sql = (
        f"INSERT INTO {table} (name, depth, path, payment_term, tax_code, internal_rating, owner_id, "  # noqa: S608
        "business_unit_id, organization_id, created_at, updated_at) "
        "VALUES (%s, 0, '', '', '', '', %s, %s, %s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    params = [(r["name"], admin.pk, admin.business_unit_id, admin.organization_id) for r in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def run_load(ctx: BenchContext) -> None:
    admin = User.objects.get(username=ADMIN_USERNAME)
    count = max(1000, int(10_000 * min(ctx.scale, 1)))
    rows = _rows(random.Random(ctx.seed), count)
    own, floor = [], []
    for _ in range(ctx.runs):
        own.append(
            count
            / _timed_rolled_back(
                lambda: customers_bulk_create(
                    rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin
                )
            )
        )
        floor.append(count / _timed_rolled_back(lambda: _raw_insert(rows, admin)))
    note = f"{count:,} customers (30% children) with audit, search index and account links"
    ctx.add(
        Figure("load", "customers through the services", "rows/s", own, floor, True, "≥ 50,000 rows/s", note)
    )


def _customer_paths(n: int) -> list[str]:
    ids = list(Customer.objects.order_by("?").values_list("pk", flat=True)[:n])
    return [f"/api/v1/customers/{pk}" for pk in ids]


def _customer_list_paths(n: int) -> list[str]:
    return [f"/api/v1/customers?page={1 + i % 5}&page_size=50" for i in range(n)]


def register() -> None:
    bench_suites.register("load", BenchSuite("load", "Bulk load through the services", run_load, 10))
    bench_endpoints.register(
        "customers-list",
        BenchEndpoint(
            "customers-list", "GET /api/v1/customers (50 a page)", _customer_list_paths, "≥ 300 req/s"
        ),
    )
    bench_endpoints.register(
        "customers-detail", BenchEndpoint("customers-detail", "GET /api/v1/customers/{id}", _customer_paths)
    )
