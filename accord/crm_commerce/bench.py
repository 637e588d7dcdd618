"""The bridge's benchmark suites: the account strategy switch and the lifetime recalculation.

Each is measured beside the floor the database sets for the same work, in the same run on the same
data: the switch's re-linking against two bare correlated UPDATEs of the hub rows, the recalculation
against one bare GROUP BY of the same sums. Writes are rolled back, so every run measures the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from accord.commerce.models import Customer, Order, OrderPayment, OrderRefund
from accord.crm.models import CustomerAssociation
from accord.crm_commerce.models import CustomerOwnAccount
from accord.crm_commerce.services._common import EACH, ROOT, SOURCE, current_strategy
from accord.crm_commerce.services.recalculate import lifetime_recalculate
from accord.crm_commerce.services.strategy import relink_all
from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME


class _Rollback(Exception):
    pass


def timed_rolled_back(fn: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds `fn` takes inside a transaction that is then rolled back, and what it returned."""
    start = time.perf_counter()
    result: Any = None
    try:
        with transaction.atomic():
            result = fn()
            elapsed = time.perf_counter() - start
            raise _Rollback
    except _Rollback:
        pass
    return elapsed, result


def _relink_sql() -> tuple[str, str]:
    """The floor of a switch: hub rows of non-root customers to their root's account, and back."""
    hub, customer = CustomerAssociation._meta.db_table, Customer._meta.db_table
    own = CustomerOwnAccount._meta.db_table
    movers = (
        f"source_type = %s AND source_id IN (SELECT id FROM {customer} "  # noqa: S608
        "WHERE root_id IS NOT NULL AND root_id <> id)"
    )
    to_root = (
        f"UPDATE {hub} SET account_id = COALESCE((SELECT r.account_id FROM {hub} r "  # noqa: S608
        f"JOIN {customer} c ON r.source_id = c.root_id WHERE c.id = {hub}.source_id AND r.source_type = %s), "
        f"account_id) WHERE {movers}"
    )
    to_own = (
        f"UPDATE {hub} SET account_id = COALESCE((SELECT o.account_id FROM {own} o "  # noqa: S608
        f"WHERE o.customer_id = {hub}.source_id), account_id) WHERE {movers}"
    )
    return to_root, to_own


def _bare_relink() -> int:
    to_root, to_own = _relink_sql()
    with connection.cursor() as cursor:
        cursor.execute(to_root, [SOURCE, SOURCE])
        moved = cursor.rowcount
        cursor.execute(to_own, [SOURCE])
    return moved


def run_strategy(ctx: BenchContext) -> None:
    admin = User.objects.get(username=ADMIN_USERNAME)
    first = current_strategy()
    second = ROOT if first == EACH else EACH

    def switch() -> list[dict[str, Any]]:
        return [relink_all(strategy=s, actor=admin) for s in (second, first)]

    own, floor, moved, bare_moved = [], [], 0, 0
    for _ in range(ctx.runs):
        elapsed, reports = timed_rolled_back(switch)
        own.append(elapsed * 1000)
        moved = reports[0]["customers_moved"]
        elapsed, bare_moved = timed_rolled_back(_bare_relink)
        floor.append(elapsed * 1000)
    customers = Customer.objects.count()
    note = (
        f"{customers:,} customers, {moved:,} moved each way by the job (with lifetime figures and search "
        f"documents of the accounts); floor = 2 correlated UPDATEs of {bare_moved:,} hub rows"
    )
    name = f"strategy switch {first} → {second} → {first}"
    ctx.add(Figure("strategy", name, "ms", own, floor, False, "within 2x of floor", note))


def _bare_sums_sql() -> str:
    order, payment, refund = Order._meta.db_table, OrderPayment._meta.db_table, OrderRefund._meta.db_table
    return (
        "SELECT customer_id, SUM(amount) FROM ("  # noqa: S608
        f"SELECT o.customer_id, p.base_amount AS amount FROM {payment} p JOIN {order} o ON o.id = p.order_id "
        f"UNION ALL SELECT o.customer_id, -r.base_amount FROM {refund} r JOIN {order} o ON o.id = r.order_id"
        ") t GROUP BY customer_id"
    )


def _bare_sums() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_bare_sums_sql())
        return len(cursor.fetchall())


def run_lifetime(ctx: BenchContext) -> None:
    own, floor, differences, customers = [], [], 0, 0
    for _ in range(ctx.runs):
        elapsed, report = timed_rolled_back(lambda: lifetime_recalculate(fix=False))
        own.append(elapsed * 1000)
        differences = len(report.customer_differences) + len(report.pair_differences)
        elapsed, customers = timed_rolled_back(_bare_sums)
        floor.append(elapsed * 1000)
    orders = Order.objects.count()
    note = (
        f"{orders:,} orders of {customers:,} customers with money; {differences:,} stored values differ "
        "(not fixed); floor = one GROUP BY of payments minus refunds (no account figures)"
    )
    ctx.add(Figure("lifetime", "lifetime recalculate", "ms", own, floor, False, "within 2x of floor", note))


def register() -> None:
    bench_suites.register(
        "strategy", BenchSuite("strategy", "Account strategy switch (each → root → each)", run_strategy, 20)
    )
    bench_suites.register(
        "lifetime", BenchSuite("lifetime", "Lifetime value recalculation", run_lifetime, 25)
    )
