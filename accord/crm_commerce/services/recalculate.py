"""`accord lifetime recalculate`: every value from scratch (GROUP BY), compared with what is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from accord.crm_commerce.services import lifetime

ZERO = Decimal("0.00")


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


def lifetime_recalculate(*, fix: bool) -> Report:
    """Compare (and with `fix`, repair) customer values and account/channel figures."""
    from accord.commerce.models import Customer

    with transaction.atomic():
        expected = lifetime.all_customer_values()
        stored = lifetime.stored_values()
        report = Report(customers=Customer.objects.count())
        for customer_id in set(expected) | set(stored):
            right, now = expected.get(customer_id, ZERO), stored.get(customer_id, ZERO)
            if right != now:
                report.customer_differences[customer_id] = (now, right)
        pairs_right = lifetime.pair_amounts(None, values=expected)
        pairs_now = lifetime.current_amounts(None)
        for pair, right in lifetime.pair_changes(pairs_right, pairs_now).items():
            report.pair_differences[pair] = (pairs_now.get(pair, ZERO), right)
        if fix and not report.clean:
            lifetime.values_store({c: right for c, (_, right) in report.customer_differences.items()})
            lifetime.pairs_write({p: right for p, (_, right) in report.pair_differences.items()})
            report.fixed = True
    return report
