"""Lifetime sales value: the append-only history per (account, channel) and how CRM keeps its
own pairs current (b2b channels: Σ business customers' lifetime; no channel: Σ won opportunities
attached directly to the account). Other apps call `lifetime_value_record` for their channels."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accord.crm.models import (
    Account,
    BusinessCustomer,
    Channel,
    CustomerAssociation,
    LifetimeValueHistory,
    Opportunity,
    OpportunityStatus,
)
from accord.crm.models.business_customers import SOURCE_TYPE as BC_SOURCE

ZERO = Decimal("0.00")
Pair = tuple[int, int | None]  # (account id, channel id or None)


def lifetime_value_record(
    *, account: Account | int, channel: Channel | int | None, amount: Decimal
) -> LifetimeValueHistory | None:
    """Append a new current row for (account, channel) when the amount changed; the old one
    stops being current. A pair without any row counts as 0. Returns the new row, or None."""
    account_id = account if isinstance(account, int) else account.pk
    channel_id = channel if isinstance(channel, int) or channel is None else channel.pk
    amount = Decimal(amount).quantize(Decimal("0.01"))
    with transaction.atomic():
        # Serializes writers of one account, so that there is one current row per pair.
        Account.objects.select_for_update().filter(pk=account_id).values_list("pk").first()
        pair: dict[str, Any] = {"account_id": account_id, "channel_id": channel_id}
        current = LifetimeValueHistory.objects.filter(**pair, is_current=True).first()
        if (current.amount if current else ZERO) == amount:
            return None
        if current is not None:
            LifetimeValueHistory.objects.filter(pk=current.pk).update(is_current=False)
        return LifetimeValueHistory.objects.create(
            account_id=account_id,
            channel_id=channel_id,
            amount=amount,
            is_current=True,
            created_at=timezone.now(),
        )


def won_opportunities() -> Any:
    return Opportunity.objects.filter(status=OpportunityStatus.WON)


def business_customer_lifetimes_refresh(ids: Iterable[int]) -> None:
    """Recompute the stored lifetime of business customers (one UPDATE)."""
    ids = list(set(ids))
    if not ids:
        return
    revenue = (
        won_opportunities()
        .filter(customer_association__source_type=BC_SOURCE, customer_association__source_id=OuterRef("pk"))
        .order_by()
        .values("customer_association__source_id")
        .annotate(total=Sum("base_close_revenue_amount"))
        .values("total")
    )
    BusinessCustomer.objects.filter(pk__in=ids).update(
        lifetime=Coalesce(
            Subquery(revenue), Value(ZERO), output_field=DecimalField(max_digits=18, decimal_places=2)
        )
    )


def pairs_refresh(pairs: Iterable[Pair]) -> None:
    """Bring CRM's pairs up to date in a constant number of statements, whatever their number: the
    accounts are locked in id order (as `lifetime_value_record` locks one), the amounts come from
    two GROUP BYs, and changed pairs get a new current row."""
    wanted = set(pairs)
    if not wanted:
        return
    with transaction.atomic():
        accounts = {a for a, _ in wanted}
        alive = set(
            Account.objects.select_for_update()
            .filter(pk__in=accounts)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        wanted = {pair for pair in wanted if pair[0] in alive}
        amounts = _pair_amounts(wanted)
        current = {
            (a, c): (pk, amount)
            for pk, a, c, amount in LifetimeValueHistory.objects.filter(
                is_current=True, account_id__in=alive
            ).values_list("id", "account_id", "channel_id", "amount")
            if (a, c) in wanted
        }
        changed = {
            pair: amounts.get(pair, ZERO)
            for pair in wanted
            if amounts.get(pair, ZERO) != (current[pair][1] if pair in current else ZERO)
        }
        if not changed:
            return
        LifetimeValueHistory.objects.filter(pk__in=[current[p][0] for p in changed if p in current]).update(
            is_current=False
        )
        now = timezone.now()
        LifetimeValueHistory.objects.bulk_create(
            LifetimeValueHistory(account_id=a, channel_id=c, amount=amount, is_current=True, created_at=now)
            for (a, c), amount in sorted(changed.items(), key=lambda item: (item[0][0], item[0][1] or 0))
        )


def _pair_amounts(pairs: set[Pair]) -> dict[Pair, Decimal]:
    """`pair_amount` of many pairs: direct won revenue (no channel) and business customers' lifetime."""
    direct = {a for a, c in pairs if c is None}
    channelled = {a for a, c in pairs if c is not None}
    amounts: dict[Pair, Decimal] = {}
    if direct:
        rows = (
            won_opportunities()
            .filter(
                customer_association__account_id__in=direct, customer_association__source_type__isnull=True
            )
            .order_by()
            .values_list("customer_association__account_id")
            .annotate(total=Sum("base_close_revenue_amount"))
        )
        amounts.update({(a, None): Decimal(total or 0) for a, total in rows})
    if channelled:
        rows = (
            BusinessCustomer.objects.filter(account_id__in=channelled)
            .order_by()
            .values_list("account_id", "channel_id")
            .annotate(total=Sum("lifetime"))
        )
        amounts.update({(a, c): Decimal(total or 0) for a, c, total in rows if (a, c) in pairs})
    return amounts


def associations_refresh(association_ids: Iterable[int | None]) -> None:
    """After opportunities of these hub rows changed: their business customers and account pairs."""
    ids = [pk for pk in set(association_ids) if pk is not None]
    if not ids:
        return
    rows = list(
        CustomerAssociation.objects.filter(pk__in=ids).values_list("account_id", "source_type", "source_id")
    )
    customers = [source_id for _, source_type, source_id in rows if source_type == BC_SOURCE and source_id]
    business_customer_lifetimes_refresh(customers)
    pairs: set[Pair] = {(account_id, None) for account_id, source_type, _ in rows if source_type is None}
    pairs.update(BusinessCustomer.objects.filter(pk__in=customers).values_list("account_id", "channel_id"))
    pairs_refresh(pairs)


class _DryRun(Exception):
    pass


def lifetime_recalculate(*, dry_run: bool = False) -> dict[str, Any]:
    """Recompute CRM's lifetime values from scratch, set-based: business customers' stored
    lifetime, then the current history row of every b2b-channel and no-channel pair. Returns the
    differences found (and repaired unless `dry_run`)."""
    report: dict[str, Any] = {}
    try:
        with transaction.atomic():
            report["business_customers"] = _recalculate_customers()
            report["pairs"] = _recalculate_pairs()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _recalculate_customers() -> list[dict[str, Any]]:
    """One GROUP BY of won revenue per business customer, compared with the stored lifetimes (a
    correlated subquery per customer made PostgreSQL scan the opportunities once per customer)."""
    expected = {
        source_id: Decimal(total or 0)
        for source_id, total in won_opportunities()
        .filter(customer_association__source_type=BC_SOURCE)
        .order_by()
        .values_list("customer_association__source_id")
        .annotate(total=Sum("base_close_revenue_amount"))
    }
    wrong = [
        (pk, stored, expected.get(pk, ZERO))
        for pk, stored in BusinessCustomer.objects.values_list("id", "lifetime").iterator(chunk_size=5000)
        if stored != expected.get(pk, ZERO)
    ]
    BusinessCustomer.objects.bulk_update(
        [BusinessCustomer(pk=pk, lifetime=new) for pk, _, new in wrong], ["lifetime"], batch_size=500
    )
    return [{"id": pk, "stored": str(old), "expected": str(new)} for pk, old, new in sorted(wrong)]


def _expected_pairs() -> dict[Pair, Decimal]:
    expected: dict[Pair, Decimal] = {}
    rows = (
        BusinessCustomer.objects.order_by()
        .values("account_id", "channel_id")
        .annotate(total=Sum("lifetime"))
        .values_list("account_id", "channel_id", "total")
    )
    for account_id, channel_id, total in rows:
        expected[(account_id, channel_id)] = Decimal(total or 0)
    direct = (
        won_opportunities()
        .filter(customer_association__source_type__isnull=True)
        .order_by()
        .values("customer_association__account_id")
        .annotate(total=Sum("base_close_revenue_amount"))
        .values_list("customer_association__account_id", "total")
    )
    for account_id, total in direct:
        expected[(account_id, None)] = Decimal(total or 0)
    return expected


def _recalculate_pairs() -> list[dict[str, Any]]:
    expected = _expected_pairs()
    current_rows = LifetimeValueHistory.objects.filter(is_current=True).filter(
        Q(channel__isnull=True) | Q(channel__channel_type="b2b")
    )
    current = {
        (a, c): (pk, amount)
        for pk, a, c, amount in current_rows.values_list("id", "account_id", "channel_id", "amount")
    }
    differences = []
    for pair in set(expected) | set(current):
        want = expected.get(pair, ZERO)
        have = current[pair][1] if pair in current else ZERO
        if want != have:
            differences.append((pair, have, want))
    now = timezone.now()
    LifetimeValueHistory.objects.filter(
        pk__in=[current[p][0] for p, _, _ in differences if p in current]
    ).update(is_current=False)
    LifetimeValueHistory.objects.bulk_create(
        LifetimeValueHistory(account_id=a, channel_id=c, amount=want, is_current=True, created_at=now)
        for (a, c), _, want in differences
    )
    return [
        {"account_id": a, "channel_id": c, "current": str(have), "expected": str(want)}
        for (a, c), have, want in sorted(differences, key=lambda d: (d[0][0], d[0][1] or 0))
    ]


def account_lifetime_refresh(*, account_ids: Iterable[int]) -> None:
    """Bring every pair CRM keeps for these accounts up to date (e.g. after a merge moved hub rows
    or opportunities between accounts): business customers' lifetime, their channels, no channel."""
    ids = list(set(account_ids))
    customers = list(BusinessCustomer.objects.filter(account_id__in=ids).values_list("pk", flat=True))
    business_customer_lifetimes_refresh(customers)
    pairs: set[Pair] = {(pk, None) for pk in ids}
    pairs.update(BusinessCustomer.objects.filter(account_id__in=ids).values_list("account_id", "channel_id"))
    pairs.update(
        LifetimeValueHistory.objects.filter(
            account_id__in=ids, is_current=True, channel__channel_type="b2b"
        ).values_list("account_id", "channel_id")
    )
    pairs_refresh(pairs)
