"""Reads of lifetime sales values: an account's total and per-channel split, its history, the
records behind each figure, and the monthly average per channel for the dashboard chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Max, Sum
from django.utils import timezone

from accord.crm.models import (
    Account,
    BusinessCustomer,
    Channel,
    LifetimeValueHistory,
    Opportunity,
    OpportunityStatus,
)
from accord.crm.models.business_customers import SOURCE_TYPE as BC_SOURCE
from accord.crm.registries import lifetime_explainers
from accord.platform import acl
from accord.platform.money import amount_text, base_currency
from accord.platform.statements import Statement

HISTORY_SHOWN = 200
RECORDS_SHOWN = 200


def account_lifetime_total(account_id: int) -> Decimal:
    """oro-spec #57: Σ current rows over all channels (the no-channel row included)."""
    total = LifetimeValueHistory.objects.filter(account_id=account_id, is_current=True).aggregate(
        t=Sum("amount")
    )
    return Decimal(total["t"] or 0)


def account_lifetime_by_channel(account_id: int) -> dict[int | None, Decimal]:
    """oro-spec #58: the current amount per channel (None = won opportunities attached to the account)."""
    rows = LifetimeValueHistory.objects.filter(account_id=account_id, is_current=True)
    return dict(rows.values_list("channel_id", "amount"))


_CURRENT_ATTR = "_lifetime_current_rows"
_CURRENT = Statement(
    LifetimeValueHistory,
    lambda account: (
        LifetimeValueHistory.objects.filter(account_id=account, is_current=True)
        .order_by()
        .values_list("channel_id", "channel__channel_type", "channel__name", "amount")
    ),
)


def account_lifetime_current(account: Any) -> list[tuple[int | None, str | None, str | None, Decimal]]:
    """(channel id, channel type, channel name, amount) of the account's current rows, read once
    per account instance: the view's header and its channel sections share them."""
    rows = getattr(account, _CURRENT_ATTR, None)
    if rows is None:
        rows = _CURRENT.rows(account=account.pk)
        setattr(account, _CURRENT_ATTR, rows)
    return rows


def account_lifetime_summary(account: Any) -> dict[str, Any]:
    """The account view's header figure: total and per-channel split (channel name or "Direct"),
    base currency, from one query."""
    rows = account_lifetime_current(account)
    ordered = sorted(rows, key=lambda r: (r[0] is not None, r[1] or "", r[2] or "", r[0] or 0))
    channels = [(name or "Direct (no channel)", amount) for _, _, name, amount in ordered if amount]
    return {
        "total": sum((amount for _, amount in channels), Decimal("0.00")),
        "channels": channels,
        "currency": base_currency(),
    }


def _money(amount: Any, currency: str) -> dict[str, str]:
    return {"amount": amount_text(Decimal(amount or 0)), "currency": currency}


def direct_won_opportunities(account: Account, user: Any) -> list[dict[str, Any]]:
    """The won opportunities attached to the account itself, behind its no-channel figure."""
    qs = Opportunity.objects.filter(
        status=OpportunityStatus.WON,
        customer_association__account=account,
        customer_association__source_type__isnull=True,
    )
    return _opportunity_records(acl.visible(user, "crm.opportunity", qs))


def _opportunity_records(qs: Any) -> list[dict[str, Any]]:
    rows = qs.order_by("-closed_at", "-id").values_list("id", "name", "base_close_revenue_amount")[
        :RECORDS_SHOWN
    ]
    currency = base_currency()
    return [
        {"entity": "crm.opportunity", "id": pk, "name": name, **_money(amount, currency), "parent_id": None}
        for pk, name, amount in rows
    ]


def explain_b2b(account: Account, channel: Channel, user: Any) -> list[dict[str, Any]]:
    """Business customers of the channel and, under each, its won opportunities."""
    customers = acl.visible(
        user, "crm.business_customer", BusinessCustomer.objects.filter(account=account, channel=channel)
    ).order_by("name", "id")[:RECORDS_SHOWN]
    currency = base_currency()
    records = [
        {
            "entity": "crm.business_customer",
            "id": c.pk,
            "name": c.name,
            **_money(c.lifetime, currency),
            "parent_id": None,
        }
        for c in customers
    ]
    ids = [r["id"] for r in records]
    won = Opportunity.objects.filter(
        status=OpportunityStatus.WON,
        customer_association__source_type=BC_SOURCE,
        customer_association__source_id__in=ids,
    )
    for row in acl.visible(user, "crm.opportunity", won).values_list(
        "id", "name", "base_close_revenue_amount", "customer_association__source_id"
    )[:RECORDS_SHOWN]:
        pk, name, amount, parent = row
        records.append(
            {
                "entity": "crm.opportunity",
                "id": pk,
                "name": name,
                **_money(amount, currency),
                "parent_id": parent,
            }
        )
    return records


def account_lifetime(account: Account, user: Any) -> dict[str, Any]:
    """What `GET /accounts/{id}/lifetime-value` answers: total, per-channel split with the records
    behind each figure, and the history (newest first)."""
    by_channel = account_lifetime_by_channel(account.pk)
    channels = {c.pk: c for c in Channel.objects.filter(pk__in=[pk for pk in by_channel if pk is not None])}
    currency = base_currency()
    split = []
    for channel_id, amount in sorted(
        by_channel.items(), key=lambda item: (item[0] is not None, item[0] or 0)
    ):
        channel = channels.get(channel_id) if channel_id else None
        if channel is None:
            records = direct_won_opportunities(account, user)
        else:
            explainer = next((e for e in lifetime_explainers if e.channel_type == channel.channel_type), None)
            records = explainer.explain(account, channel, user) if explainer else []
        split.append(
            {
                "channel_id": channel_id,
                "channel_name": channel.name if channel else "Direct (no channel)",
                "channel_type": channel.channel_type if channel else None,
                "value": _money(amount, currency),
                "records": records,
            }
        )
    history = LifetimeValueHistory.objects.filter(account=account).order_by("-created_at", "-id")[
        :HISTORY_SHOWN
    ]
    return {
        "account_id": account.pk,
        "total": _money(sum(by_channel.values(), Decimal(0)), currency),
        "channels": split,
        "history": [
            {
                "channel_id": h.channel_id,
                "amount": _money(h.amount, currency),
                "is_current": h.is_current,
                "created_at": h.created_at,
            }
            for h in history
        ],
    }


def _month_starts(months: int, today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for _ in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


# A past month's averages do not change (history rows are only appended, dated when written), so
# they are kept in the cache; a day's expiry lets deleted accounts leave them in time.
PAST_MONTH_SECONDS = 24 * 3600


def _month_key(organization_id: int, start: dt.date) -> str:
    return f"crm:lifetime-month:{organization_id}:{start.isoformat()}"


def _averages_before(organization_id: int, cutoff: dt.datetime) -> dict[int | None, float]:
    """{channel id: the average over accounts of each one's latest amount written before `cutoff`}."""
    base = LifetimeValueHistory.objects.filter(account__organization_id=organization_id)
    latest = base.filter(created_at__lt=cutoff).values("account_id", "channel_id").annotate(last=Max("id"))
    rows = (
        LifetimeValueHistory.objects.filter(id__in=latest.values("last"))
        .values("channel_id")
        .annotate(avg=Avg("amount"))
    )
    return {row["channel_id"]: float(round(row["avg"] or 0, 2)) for row in rows}


def _current_averages(organization_id: int) -> dict[int | None, float]:
    """This month's averages: each pair's latest row is its current one (one scan of the current rows,
    where the query above read the whole history: a second at scale 10)."""
    rows = (
        LifetimeValueHistory.objects.filter(account__organization_id=organization_id, is_current=True)
        .values("channel_id")
        .annotate(avg=Avg("amount"))
    )
    return {row["channel_id"]: float(round(row["avg"] or 0, 2)) for row in rows}


def lifetime_monthly_averages(organization_id: int, months: int = 12) -> dict[str, Any]:
    """oro-spec #62: per channel and month, the average over accounts of each account's latest
    history amount before the end of that month; past months from the cache once computed."""
    starts = _month_starts(months, timezone.localdate())
    channels = dict(Channel.objects.filter(organization_id=organization_id).values_list("id", "name"))
    series: dict[int | None, list[float]] = {pk: [0.0] * months for pk in [None, *channels]}
    past = {_month_key(organization_id, start): start for start in starts[:-1]}
    known: dict[str, dict[int | None, float]] = cache.get_many(list(past))
    for key in past.keys() - known.keys():
        end = (past[key] + dt.timedelta(days=32)).replace(day=1)
        known[key] = _averages_before(
            organization_id, timezone.make_aware(dt.datetime.combine(end, dt.time.min))
        )
        cache.set(key, known[key], PAST_MONTH_SECONDS)
    by_month = [known[key] for key in past] + [_current_averages(organization_id)]
    for index, averages in enumerate(by_month):
        for channel_id, average in averages.items():
            if channel_id in series:
                series[channel_id][index] = average
    labels = [start.strftime("%Y-%m") for start in starts]
    datasets = [
        {"label": channels.get(pk, "Direct (no channel)") if pk else "Direct (no channel)", "data": values}
        for pk, values in series.items()
        if any(values)
    ]
    return {"labels": labels, "datasets": datasets, "currency": base_currency()}
