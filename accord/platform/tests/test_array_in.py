"""`__in` over integers: one array parameter on PostgreSQL, Django's IN list elsewhere; same rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from unittest import mock

from django.db import connection, models

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


def test_plain_ints_skip_preparation_only_where_the_column_is_an_integer(tree: Any) -> None:
    """Ints against an integer column are taken as they are; against a text column (an audit entry's
    `object_id`) they are still made text, as Django prepares them; other values keep Django's path."""
    from accord.platform.array_in import ArrayIn, ArrayRelatedIn
    from accord.platform.models import AuditEntry

    rates = _rates(3)
    ids = [r.pk for r in rates]
    by_key = CurrencyRate.objects.filter(pk__in=ids).query.where.children[0]
    assert isinstance(by_key, ArrayIn)
    assert by_key.rhs == ids
    by_relation = BusinessUnit.objects.filter(parent__in=[tree.main.pk]).query.where.children[0]
    assert isinstance(by_relation, ArrayRelatedIn)
    assert by_relation.rhs == [tree.main.pk]
    assert set(
        BusinessUnit.objects.filter(parent__in=[tree.main, tree.main.pk]).values_list("pk", flat=True)
    ) == set(BusinessUnit.objects.filter(parent_id=tree.main.pk).values_list("pk", flat=True))
    as_text = AuditEntry.objects.filter(object_id__in=[ids[0], 10**12]).query.where.children[0]
    assert as_text.rhs == [str(ids[0]), str(10**12)]  # the field's preparation ran
    assert CurrencyRate.objects.filter(pk__in=[str(ids[1]), ids[2]]).count() == 2  # mixed: Django's path

    prepare = models.BigAutoField.get_prep_value
    with mock.patch.object(models.BigAutoField, "get_prep_value", autospec=True, side_effect=prepare) as spy:
        CurrencyRate.objects.filter(pk__in=ids)
        assert spy.call_count == 0  # plain ints: not prepared one by one
        CurrencyRate.objects.filter(pk__in=[str(ids[0])])
        assert spy.call_count == 1
