"""Lifetime sales value follows an account merge and its undo (decision 0012: the history rows are
derived, recomputed by the CRM on `accounts_merged` / `merge_undone` in the same transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from accord.crm.models import Account, Channel, LifetimeValueHistory
from accord.crm.selectors.lifetime import account_lifetime_by_channel, account_lifetime_total
from accord.crm.services.lifetime import lifetime_recalculate
from accord.crm.services.merges import accounts_merge, merge_undo
from accord.crm.services.opportunities import opportunity_close_won
from accord.platform.models import User

DAY = dt.date(2026, 1, 15)


def _won(make_opportunity: Callable[..., Any], admin: User, budget: str, **kwargs: Any) -> None:
    deal = make_opportunity(budget=budget, **kwargs)
    opportunity_close_won(opportunity=deal, close_date=DAY, actor=admin)


def _two_accounts_with_sales(
    admin: User, make_account: Callable[..., Account], make_bc: Callable[..., Any], make_opportunity: Any
) -> tuple[Account, Account]:
    master, other = make_account("Acme"), make_account("ACME Corp")
    _won(make_opportunity, admin, "100", account=master)
    _won(make_opportunity, admin, "30", customer=make_bc("Acme Buying", master))
    _won(make_opportunity, admin, "40", account=other)
    _won(make_opportunity, admin, "20", customer=make_bc("ACME Purchasing", other))
    return master, other


def _clean() -> bool:
    return lifetime_recalculate(dry_run=True) == {"business_customers": [], "pairs": []}


def test_merge_sums_both_accounts_and_undo_gives_each_its_own_back(
    admin: User, make_account: Any, make_bc: Any, make_opportunity: Any, b2b: Channel
) -> None:
    master, other = _two_accounts_with_sales(admin, make_account, make_bc, make_opportunity)
    assert (account_lifetime_total(master.pk), account_lifetime_total(other.pk)) == (130, 60)

    merge = accounts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    assert account_lifetime_total(master.pk) == Decimal("190.00")
    assert account_lifetime_by_channel(master.pk) == {None: Decimal(140), b2b.pk: Decimal(50)}
    assert not LifetimeValueHistory.objects.filter(account_id=other.pk).exists()
    assert _clean()

    merge_undo(merge=merge, actor=admin)
    assert account_lifetime_by_channel(master.pk) == {None: Decimal(100), b2b.pk: Decimal(30)}
    assert account_lifetime_by_channel(other.pk) == {None: Decimal(40), b2b.pk: Decimal(20)}
    assert (account_lifetime_total(master.pk), account_lifetime_total(other.pk)) == (130, 60)
    assert _clean()
    # The master's timeline keeps the merged period: 100 -> 140 -> 100 directly.
    direct = LifetimeValueHistory.objects.filter(account=master, channel=None).order_by("id")
    assert [row.amount for row in direct] == [Decimal(100), Decimal(140), Decimal(100)]


def test_a_merge_preview_writes_no_lifetime_row(
    admin: User, make_account: Any, make_bc: Any, make_opportunity: Any, b2b: Channel
) -> None:
    master, other = _two_accounts_with_sales(admin, make_account, make_bc, make_opportunity)
    rows = list(LifetimeValueHistory.objects.order_by("id").values_list("id", "amount", "is_current"))

    accounts_merge(master=master, others=[other], dry_run=True, actor=admin)

    assert list(LifetimeValueHistory.objects.order_by("id").values_list("id", "amount", "is_current")) == rows
    assert account_lifetime_total(master.pk) == 130
