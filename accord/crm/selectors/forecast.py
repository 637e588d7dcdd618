"""Forecast of opportunities (oro-spec §2.11): in progress, total and weighted forecast for a
close-date range, the indeterminate forecast (no close date), and the same figures as they were
at a past moment, rebuilt from the audit history. Amounts are in the base currency; open deals
convert at the current rate (their base values are fixed only when they close)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, ExpressionWrapper, F, QuerySet, Sum

from accord.crm.models import CLOSED_STATUSES, Opportunity
from accord.platform import acl
from accord.platform.models import AuditEntry
from accord.platform.money import quantize, rate_on

ENTITY = "crm.opportunity"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Forecast:
    in_progress: int
    total: Decimal
    weighted: Decimal
    indeterminate_total: Decimal
    indeterminate_weighted: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


def forecast_queryset(user: Any, owner_ids: Iterable[int] | None = None) -> QuerySet[Opportunity]:
    """Open opportunities the user may view (oro-spec #105), optionally of some owners."""
    qs = acl.visible(user, ENTITY, Opportunity.objects.exclude(status__in=CLOSED_STATUSES))
    owner_ids = list(owner_ids or [])
    return qs.filter(owner_id__in=owner_ids) if owner_ids else qs


def _sums(qs: QuerySet[Opportunity], day: dt.date | None) -> tuple[int, Decimal, Decimal]:
    """(count, Σ budget, Σ budget × probability) in the base currency: one query, grouped by currency."""
    weighted = ExpressionWrapper(
        F("budget_amount") * F("probability") / 100,
        output_field=DecimalField(max_digits=24, decimal_places=6),
    )
    rows = (
        qs.order_by()
        .values("budget_currency")
        .annotate(n=Count("id"), total=Sum("budget_amount"), w=Sum(weighted))
    )
    count, total, weighted_total = 0, ZERO, ZERO
    for row in rows:
        count += row["n"]
        if row["budget_currency"] and row["total"] is not None:
            rate = rate_on(row["budget_currency"], day)
            total += Decimal(row["total"]) * rate
            weighted_total += Decimal(row["w"] or 0) * rate
    return count, quantize(total), quantize(weighted_total)


def forecast(
    user: Any, *, date_from: dt.date | None, date_to: dt.date | None, owner_ids: Iterable[int] | None = None
) -> Forecast:
    """oro-spec #101–#105."""
    owner_ids = list(owner_ids or [])
    open_qs = forecast_queryset(user, owner_ids)
    ranged = open_qs.filter(close_date__isnull=False)
    if date_from:
        ranged = ranged.filter(close_date__gte=date_from)
    if date_to:
        ranged = ranged.filter(close_date__lte=date_to)
    count, total, weighted = _sums(ranged, None)
    _, indeterminate_total, indeterminate_weighted = _sums(open_qs.filter(close_date__isnull=True), None)
    return Forecast(count, total, weighted, indeterminate_total, indeterminate_weighted)


def _as_of(moment: dt.datetime, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Each opportunity's audited fields as they were at `moment` (replaying its history)."""
    states: dict[int, dict[str, Any]] = {}
    entries = (
        AuditEntry.objects.filter(entity=ENTITY, object_id__in=[str(pk) for pk in ids], at__lte=moment)
        .order_by("at", "id")
        .values_list("object_id", "action", "changes")
    )
    for object_id, action, changes in entries.iterator(chunk_size=2000):
        pk = int(object_id)
        if action == AuditEntry.Action.DELETE:
            states.pop(pk, None)
            continue
        state = states.setdefault(pk, {}) if action == AuditEntry.Action.UPDATE else states.setdefault(pk, {})
        for name, change in (changes or {}).items():
            state[name] = change.get("new") if isinstance(change, dict) else change
    return states


def forecast_as_of(
    user: Any,
    *,
    moment: dt.datetime,
    date_from: dt.date | None,
    date_to: dt.date | None,
    owner_ids: Iterable[int] | None = None,
) -> Forecast:
    """oro-spec #106: the figures as they were at a past moment, from the audit history of the
    opportunities the user may view now: open then, close date then within the range, budget and
    probability then, converted at the rate of that day."""
    owner_ids = {int(pk) for pk in owner_ids or []}
    visible = acl.visible(user, ENTITY, Opportunity.objects.all())
    ids = list(visible.values_list("id", flat=True))
    buckets: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    count = 0
    for state in _as_of(moment, ids).values():
        if state.get("status") in CLOSED_STATUSES or (owner_ids and state.get("owner") not in owner_ids):
            continue
        close_date = dt.date.fromisoformat(state["close_date"]) if state.get("close_date") else None
        in_range = (
            close_date is not None
            and (not date_from or close_date >= date_from)
            and (not date_to or close_date <= date_to)
        )
        count += 1 if in_range else 0
        if state.get("budget_amount") is None or not state.get("budget_currency"):
            continue
        if close_date is not None and not in_range:
            continue
        budget = Decimal(str(state["budget_amount"]))
        probability = Decimal(str(state.get("probability") or 0))
        bucket = buckets[state["budget_currency"]]
        offset = 0 if in_range else 2
        bucket[offset] += budget
        bucket[offset + 1] += budget * probability / 100
    sums = [ZERO, ZERO, ZERO, ZERO]
    for currency, values in buckets.items():
        rate = rate_on(currency, moment.date())
        sums = [total + value * rate for total, value in zip(sums, values, strict=True)]
    return Forecast(count, *(quantize(value) for value in sums))


def deviation(now: Decimal | int, then: Decimal | int) -> dict[str, Any]:
    """ "±abs (±pct)" or "No changes" (oro-spec #106)."""
    diff = Decimal(now) - Decimal(then)
    if diff == 0:
        return {"change": "0", "percent": None, "label": "No changes"}
    percent = None if Decimal(then) == 0 else quantize(diff / Decimal(then) * 100)
    sign = "+" if diff > 0 else "−"
    label = f"{sign}{abs(diff)}" + (f" ({sign}{abs(percent)}%)" if percent is not None else "")
    return {"change": str(diff), "percent": str(percent) if percent is not None else None, "label": label}
