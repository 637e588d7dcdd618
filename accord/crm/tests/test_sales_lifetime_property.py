"""Property: after any sequence of open / win / lose / reopen / move / delete of opportunities and
moves of business customers, the incrementally kept lifetime values equal a recalculation from
scratch (the recalculation finds nothing to repair)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.crm.models import Account, BusinessCustomer, LifetimeValueHistory, Opportunity
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.business_customers import business_customer_hub, business_customer_update
from accord.crm.services.lifetime import lifetime_recalculate
from accord.crm.services.opportunities import (
    opportunity_close_lost,
    opportunity_close_won,
    opportunity_create,
    opportunity_delete,
    opportunity_update,
)

DAY = dt.date(2026, 2, 1)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["open", "win", "lose", "reopen", "move", "delete", "move_customer", "revenue"]),
        st.integers(0, 20),
        st.integers(0, 20),
        st.integers(0, 500),
    ),
    min_size=1,
    max_size=20,
)


def _targets(accounts, customers):
    return [("account", a) for a in accounts] + [("customer", c) for c in customers]


def _hub(target):
    kind, record = target
    if kind == "account":
        return customer_association_for_account(account=record)
    return business_customer_hub(BusinessCustomer.objects.get(pk=record.pk))


def _apply(op, admin, accounts, customers):
    kind, a, b, amount = op
    targets = _targets(accounts, customers)
    deals = list(Opportunity.objects.order_by("pk"))
    if kind == "open" or not deals:
        opportunity_create(
            name="Deal",
            customer_association=_hub(targets[a % len(targets)]),
            budget=(Decimal(amount), "USD"),
            actor=admin,
        )
        return
    deal = deals[a % len(deals)]
    if kind == "win":
        opportunity_close_won(opportunity=deal, close_date=DAY, actor=admin)
    elif kind == "lose":
        opportunity_close_lost(opportunity=deal, close_date=DAY, close_reason="outsold", actor=admin)
    elif kind == "reopen":
        opportunity_update(opportunity=deal, status="negotiation", actor=admin)
    elif kind == "move":
        opportunity_update(
            opportunity=deal, customer_association=_hub(targets[b % len(targets)]), actor=admin
        )
    elif kind == "revenue":
        opportunity_update(opportunity=deal, close_revenue=(Decimal(amount), "USD"), actor=admin)
    elif kind == "move_customer":
        customer = customers[a % len(customers)]
        business_customer_update(business_customer=customer, account=accounts[b % len(accounts)], actor=admin)
    else:
        opportunity_delete(opportunity=deal, actor=admin)


def _current():
    return {
        (row.account_id, row.channel_id): row.amount
        for row in LifetimeValueHistory.objects.filter(is_current=True)
        if row.amount
    }


def test_incremental_lifetime_equals_recalculated(admin, make_account, make_bc):
    """oro-spec #53/#54/#57–#61: the incremental path and the full recalculation agree."""
    accounts = [make_account(f"Account {i}") for i in range(3)]
    customers = [make_bc(f"Customer {i}", accounts[i % 2]) for i in range(3)]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(ops=OPS)
    def run(ops):
        savepoint = transaction.savepoint()
        try:
            for op in ops:
                _apply(op, admin, accounts, customers)
            incremental = _current()
            stored = dict(BusinessCustomer.objects.values_list("pk", "lifetime"))
            assert lifetime_recalculate(dry_run=True) == {"business_customers": [], "pairs": []}
            lifetime_recalculate()
            assert _current() == incremental
            assert dict(BusinessCustomer.objects.values_list("pk", "lifetime")) == stored
            for account in Account.objects.all():
                assert (
                    LifetimeValueHistory.objects.filter(
                        account=account, is_current=True, channel=None
                    ).count()
                    <= 1
                )
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
