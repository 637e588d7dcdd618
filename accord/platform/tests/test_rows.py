"""Plain-row writes store exactly what the ORM stores, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accord.platform.models import AuditEntry, CurrencyRate, User
from accord.platform.rows import COPY_FROM, ids_reserve, insert_rows, instances_insert

FIELDS = ("entity", "object_id", "object_repr", "action", "actor", "actor_label", "at", "changes")


def _stored(pk: int) -> tuple[Any, ...]:
    return AuditEntry.objects.values_list(*FIELDS).get(pk=pk)


def test_insert_rows_stores_what_the_orm_stores(admin: User) -> None:
    at = timezone.now()
    values: dict[str, Any] = {
        "entity": "x.thing",
        "object_id": 7,  # not a str: prepared by the field, as the ORM would
        "object_repr": "Thing",
        "action": "create",
        "actor_id": admin.pk,
        "actor_label": "Ada",
        "at": at,
        "changes": {"name": {"old": None, "new": "Ünïcode"}},
    }
    orm = AuditEntry.objects.create(**values)
    insert_rows(AuditEntry, [tuple(values.values())], FIELDS)
    copy = AuditEntry.objects.exclude(pk=orm.pk).get(entity="x.thing")
    assert _stored(copy.pk) == _stored(orm.pk)
    assert copy.object_id == "7"


def test_insert_rows_prepares_values_of_other_types_like_the_orm(db: Any) -> None:
    fields = ("currency", "rate", "valid_from", "created_at")
    insert_rows(CurrencyRate, [("EUR", "1.10", "2026-01-01", timezone.now())], fields)  # str for both
    insert_rows(CurrencyRate, [("USD", Decimal("0.5"), dt.date(2026, 2, 1), timezone.now())], fields)
    stored = dict(
        CurrencyRate.objects.values_list("currency", "rate", "valid_from").values_list("currency", "rate")
    )
    assert stored["EUR"] == Decimal("1.1")
    assert stored["USD"] == Decimal("0.5")
    assert CurrencyRate.objects.get(currency="EUR").valid_from == dt.date(2026, 1, 1)


def test_instances_insert_gives_primary_keys_in_order_and_fills_auto_fields(db: Any) -> None:
    rates = [
        CurrencyRate(currency=f"Z{n:02d}"[:3], rate=Decimal(n + 1), valid_from=dt.date(2026, 3, 1))
        for n in range(7)
    ]
    instances_insert(rates, batch=3)  # three statements: 3 + 3 + 1 rows
    assert all(rate.pk and rate.created_at and not rate._state.adding for rate in rates)
    by_pk = dict(CurrencyRate.objects.filter(pk__in=[r.pk for r in rates]).values_list("pk", "rate"))
    assert [by_pk[r.pk] for r in rates] == [Decimal(n + 1) for n in range(7)]
    assert len({r.pk for r in rates}) == 7


def test_one_instance_is_one_statement_with_its_key_returned(db: Any, django_assert_num_queries: Any) -> None:
    """A single row (an audit entry, a payment) takes its key from RETURNING: no reservation first."""
    rate = CurrencyRate(currency="ZZA", rate=Decimal("1.5"), valid_from=dt.date(2026, 3, 1))

    with django_assert_num_queries(1):
        instances_insert([rate])

    assert CurrencyRate.objects.get(pk=rate.pk).currency == "ZZA"
    assert rate.created_at is not None
    assert not rate._state.adding


def test_instances_insert_takes_the_key_of_a_parent_saved_after_assignment(tree: Any) -> None:
    from accord.platform.models import BusinessUnit

    parent = BusinessUnit(name="Later", organization=tree.org)
    child = BusinessUnit(name="Child", organization=tree.org, parent=parent)  # parent has no key yet
    instances_insert([parent])
    instances_insert([child])
    assert BusinessUnit.objects.get(pk=child.pk).parent_id == parent.pk


def test_ids_reserve_hands_out_fresh_keys_on_postgresql_only(admin: User) -> None:
    """PostgreSQL: keys from the table's sequence, ascending and unused, that rows can be inserted
    with; SQLite gives ids only on INSERT, so nothing is reserved there."""
    reserved = ids_reserve(CurrencyRate, 3)
    if connection.vendor != "postgresql":
        assert reserved is None
        return
    assert reserved is not None
    assert reserved == sorted(set(reserved))
    assert len(reserved) == 3
    rates = [
        CurrencyRate(pk=pk, currency=code, rate=Decimal("1.5"), valid_from=dt.date(2026, 1, 1))
        for pk, code in zip(reserved, ("AAA", "BBB", "CCC"), strict=True)
    ]
    instances_insert(rates)
    later = CurrencyRate.objects.create(currency="DDD", rate=Decimal("2"), valid_from=dt.date(2026, 1, 1))
    assert later.pk > max(reserved)
    assert set(CurrencyRate.objects.filter(pk__in=reserved).values_list("currency", flat=True)) == {
        "AAA",
        "BBB",
        "CCC",
    }
    assert ids_reserve(CurrencyRate, 0) is None


def test_insert_rows_with_unique_fields_updates_the_conflicting_rows(db: Any) -> None:
    """An upsert: new keys inserted, existing ones get the other fields of the row sent."""
    fields = ("currency", "rate", "valid_from", "created_at")
    day = dt.date(2026, 4, 1)
    insert_rows(CurrencyRate, [("EUR", Decimal("1.1"), day, timezone.now())], fields)
    first = CurrencyRate.objects.get(currency="EUR", valid_from=day)

    rows = [("EUR", Decimal("1.2"), day, timezone.now()), ("GBP", Decimal("0.9"), day, timezone.now())]
    insert_rows(CurrencyRate, rows, fields, unique=("currency", "valid_from"))

    stored = dict(CurrencyRate.objects.filter(valid_from=day).values_list("currency", "rate"))
    assert stored == {"EUR": Decimal("1.2"), "GBP": Decimal("0.9")}
    assert CurrencyRate.objects.get(currency="EUR", valid_from=day).pk == first.pk  # updated in place


def _many_audit_rows(admin: User, count: int) -> list[tuple[Any, ...]]:
    """Values COPY must escape (tab, newline, backslash, quotes, NUL-free Unicode), JSON, None."""
    at = timezone.now()
    return [
        (
            "x.copied",
            n,
            f"Row\t{n}\nwith \\N and 'quotes' \"and\" Ünïcode",
            "create",
            admin.pk if n % 2 else None,
            "" if n % 3 else "Ada\\Lovelace",
            at,
            {"n": n, "text": "tab\there", "none": None, "list": [1, "two", {"x": 1.5}]},
        )
        for n in range(count)
    ]


def test_many_rows_store_what_one_by_one_stores(admin: User, django_assert_num_queries: Any) -> None:
    """From `COPY_FROM` rows on, PostgreSQL streams them with one COPY (decision 0086); the stored
    values are those of the row-by-row path, and the COPY is one logged statement."""
    rows = _many_audit_rows(admin, COPY_FROM + 5)

    with django_assert_num_queries(1) as captured:
        insert_rows(AuditEntry, rows, FIELDS)
    for row in rows[:7]:
        insert_rows(AuditEntry, [("one", *row[1:])], FIELDS)  # one row: an INSERT

    if connection.vendor == "postgresql":
        assert captured.captured_queries[0]["sql"].startswith(f"{len(rows)} times: COPY ")
    many = {e.object_id: _stored(e.pk)[2:] for e in AuditEntry.objects.filter(entity="x.copied")}
    one = [_stored(e.pk)[2:] for e in AuditEntry.objects.filter(entity="one").order_by("pk")]
    assert len(many) == len(rows)
    assert one == [many[str(n)] for n in range(7)]


def test_instances_with_reserved_keys_are_copied_with_those_keys(db: Any) -> None:
    rates = [
        CurrencyRate(currency=f"{n:03d}", rate=Decimal(n + 1) / 7, valid_from=dt.date(2026, 5, 1))
        for n in range(COPY_FROM + 1)
    ]
    instances_insert(rates)
    stored = dict(CurrencyRate.objects.filter(valid_from=dt.date(2026, 5, 1)).values_list("pk", "currency"))
    assert stored == {rate.pk: rate.currency for rate in rates}


def test_a_copy_that_fails_raises_the_orm_error_and_writes_nothing(db: Any) -> None:
    fields = ("currency", "rate", "valid_from", "created_at")
    day, now = dt.date(2026, 6, 1), timezone.now()
    rows = [(f"{n:03d}", Decimal(1), day, now) for n in range(COPY_FROM)] + [("000", Decimal(2), day, now)]

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_rows(CurrencyRate, rows, fields)  # the last row repeats the first (currency, day)

    assert not CurrencyRate.objects.filter(valid_from=day).exists()
