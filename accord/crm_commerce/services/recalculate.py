"""`accord lifetime recalculate`: every value from scratch, compared with what is stored.

The comparison runs in the database: one pass over every payment and refund computes the
definition per customer into a temporary table (the work a bare GROUP BY does); one statement
stacks it with the stored values and returns, from one GROUP BY, only the customers that differ;
a second does the same per (account, commerce channel) against the current history rows. Python
only sees the differences (decision 0072).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from accord.commerce.models import Customer, Order, OrderPayment, OrderRefund
from accord.crm.models import Channel, CustomerAssociation, LifetimeValueHistory
from accord.crm_commerce.models import CustomerLifetimeValue
from accord.crm_commerce.services import lifetime
from accord.crm_commerce.services._common import CHANNEL_TYPE, SOURCE

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


@dataclass
class Report:
    customers: int = 0
    customer_differences: dict[int, tuple[Decimal, Decimal]] = field(
        default_factory=dict
    )  # id: (stored, right)
    pair_differences: dict[lifetime.Pair, tuple[Decimal, Decimal]] = field(default_factory=dict)
    fixed: bool = False

    @property
    def clean(self) -> bool:
        return not self.customer_differences and not self.pair_differences


def _money(value: Any) -> Decimal:
    """SQLite sums decimals as floats: back to cents."""
    return Decimal(str(value or 0)).quantize(CENT)


def _money_rows_sql() -> str:
    """order_id, amount: every payment, and every refund negated, in the base currency."""
    payment, refund = OrderPayment._meta.db_table, OrderRefund._meta.db_table
    return (
        f"SELECT order_id, base_amount AS amount FROM {payment} "  # noqa: S608
        f"UNION ALL SELECT order_id, -base_amount FROM {refund}"
    )


RIGHT = "accord_lifetime_right"  # temporary: the definition per customer, computed once


def _right_values_computed() -> None:
    """One pass over every payment and refund (what a bare GROUP BY does), kept for both checks."""
    order = Order._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RIGHT}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {RIGHT} AS SELECT o.customer_id AS customer_id, "  # noqa: S608
            f"SUM(m.amount) AS amount FROM ({_money_rows_sql()}) m JOIN {order} o ON o.id = m.order_id "
            "GROUP BY o.customer_id"
        )


def _differences(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Rows of (key..., stored, right) where the two differ by a cent or more. Both sides are
    stacked (UNION ALL) and summed in one GROUP BY: no join between two aggregates."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _customer_differences() -> dict[int, tuple[Decimal, Decimal]]:
    stored = CustomerLifetimeValue._meta.db_table
    sql = (
        "SELECT customer_id, SUM(now), SUM(right_amount) FROM ("  # noqa: S608
        f"SELECT customer_id, 0 AS now, amount AS right_amount FROM {RIGHT} "
        f"UNION ALL SELECT customer_id, amount, 0 FROM {stored}"
        ") t GROUP BY customer_id HAVING ROUND(SUM(now) - SUM(right_amount), 2) <> 0"
    )
    return {int(pk): (_money(now), _money(right)) for pk, now, right in _differences(sql, [])}


def _pair_differences() -> dict[lifetime.Pair, tuple[Decimal, Decimal]]:
    hub, history, channel = (m._meta.db_table for m in (CustomerAssociation, LifetimeValueHistory, Channel))
    sql = (
        "SELECT account_id, channel_id, SUM(now), SUM(right_amount) FROM ("  # noqa: S608
        f"SELECT h.account_id, h.channel_id, 0 AS now, r.amount AS right_amount FROM {RIGHT} r "
        f"JOIN {hub} h ON h.source_type = %s AND h.source_id = r.customer_id AND h.channel_id IS NOT NULL "
        f"UNION ALL SELECT v.account_id, v.channel_id, v.amount, 0 FROM {history} v "
        f"JOIN {channel} ch ON ch.id = v.channel_id WHERE v.is_current = %s AND ch.channel_type = %s"
        ") t GROUP BY account_id, channel_id HAVING ROUND(SUM(now) - SUM(right_amount), 2) <> 0"
    )
    rows = _differences(sql, [SOURCE, True, CHANNEL_TYPE])
    return {(int(a), int(c)): (_money(now), _money(right)) for a, c, now, right in rows}


def lifetime_recalculate(*, fix: bool) -> Report:
    """Compare (and with `fix`, repair) customer values and account/channel figures."""
    with transaction.atomic():
        _right_values_computed()
        try:
            report = Report(
                customers=Customer.objects.count(),
                customer_differences=_customer_differences(),
                pair_differences=_pair_differences(),
            )
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {RIGHT}")
        if fix and not report.clean:
            lifetime.values_store({c: right for c, (_, right) in report.customer_differences.items()})
            lifetime.pairs_write({p: right for p, (_, right) in report.pair_differences.items()})
            report.fixed = True
    return report
