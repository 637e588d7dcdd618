"""`__in` over integers: one array parameter on PostgreSQL, Django's IN list elsewhere; same rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection

from accord.platform.models import BusinessUnit, CurrencyRate


def _rates(count: int) -> list[CurrencyRate]:
    return [
        CurrencyRate.objects.create(currency=f"Q{n:02d}", rate=Decimal(n + 1), valid_from=dt.date(2026, 1, 1))
        for n in range(count)
    ]


def _sql(queryset: Any) -> tuple[list[Any], str]:
    """The rows and the statement as sent to the driver (placeholders, not values)."""
    sent: list[str] = []

    def keep(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        rows = list(queryset)
    return rows, sent[-1]


def test_integer_lists_of_any_length_are_one_statement_text_on_postgresql(db: Any) -> None:
    rates = _rates(6)
    ids = [r.pk for r in rates]
    texts = set()
    for wanted in (ids[:1], ids[:3], ids + [None, 10**12]):  # None never matches; a missing id neither
        rows, sql = _sql(
            CurrencyRate.objects.filter(pk__in=wanted).order_by("pk").values_list("pk", flat=True)
        )
        assert rows == sorted(pk for pk in wanted if pk in ids)
        texts.add(sql)
    if connection.vendor == "postgresql":
        assert len(texts) == 1
        assert "= ANY(%s)" in texts.pop()
    else:
        assert len(texts) == 3
        assert all(" IN (" in sql for sql in texts)


def test_exclusion_relations_and_instances_give_the_same_rows_as_django(tree: Any) -> None:
    org = tree.org
    units = [BusinessUnit.objects.create(name=f"U{n}", organization=org, parent=tree.main) for n in range(4)]
    unit_ids = [u.pk for u in units]
    everyone = set(BusinessUnit.objects.values_list("pk", flat=True))
    assert set(BusinessUnit.objects.exclude(pk__in=unit_ids).values_list("pk", flat=True)) == everyone - set(
        unit_ids
    )
    assert set(BusinessUnit.objects.filter(parent__in=[tree.main]).values_list("pk", flat=True)) >= set(
        unit_ids
    )
    assert set(BusinessUnit.objects.filter(parent_id__in=[tree.main.pk]).values_list("pk", flat=True)) >= set(
        unit_ids
    )
    assert not BusinessUnit.objects.filter(pk__in=[None]).exists()
    assert not BusinessUnit.objects.filter(pk__in=[]).exists()


def test_other_values_and_subqueries_keep_djangos_in(db: Any) -> None:
    _rates(3)
    rows, sql = _sql(
        CurrencyRate.objects.filter(currency__in=["Q00", "Q02"]).values_list("currency", flat=True)
    )
    assert sorted(rows) == ["Q00", "Q02"]
    assert " IN (" in sql
    inner = CurrencyRate.objects.filter(currency="Q01").values("pk")
    rows, sql = _sql(CurrencyRate.objects.filter(pk__in=inner).values_list("currency", flat=True))
    assert rows == ["Q01"]
    assert " IN (SELECT" in sql
