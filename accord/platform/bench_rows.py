"""The rows an operation writes, captured so that a benchmark floor writes exactly them in bare SQL.

The load suite's floor was a raw `executemany` of the customer rows alone, while the service also
writes accounts, links, audit entries and search documents: a floor for a different job. Here the
operation runs once in a transaction that is rolled back, every row it inserted is read back (all
tables with an integer key, the key included so references stay whole), and `rows_insert` writes
the same rows with one `executemany` per table: the database's own cost for the same result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

_INTEGER_KEYS = ("AutoField", "BigAutoField", "SmallAutoField", "OneToOneField")


@dataclass(frozen=True)
class TableRows:
    table: str
    columns: list[str]
    json_columns: frozenset[str]
    rows: list[tuple[Any, ...]]


@dataclass(frozen=True)
class _Table:
    name: str
    key: str
    fields: list[models.Field[Any, Any]]


def _tables() -> list[_Table]:
    """Tables of installed models keyed by a growing integer: their own id, or the id of the record
    they extend one-to-one (many-to-many tables included)."""
    seen: dict[str, _Table] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.pk is None:
            continue
        if meta.pk.get_internal_type() in _INTEGER_KEYS:
            seen.setdefault(meta.db_table, _Table(meta.db_table, meta.pk.column, list(meta.concrete_fields)))
    return [seen[name] for name in sorted(seen)]


def _max_ids(cursor: Any, tables: list[_Table]) -> dict[str, int]:
    quote = connection.ops.quote_name
    union = " UNION ALL ".join(
        f"SELECT '{t.name}', COALESCE(MAX({quote(t.key)}), 0) FROM {quote(t.name)}"  # noqa: S608
        for t in tables
    )
    cursor.execute(union)
    return dict(cursor.fetchall())


class _Rollback(Exception):
    pass


def rows_written(operation: Callable[[], Any]) -> list[TableRows]:
    """Every row `operation` inserts, per table; its writes are rolled back afterwards."""
    tables = _tables()
    quote = connection.ops.quote_name
    captured: list[TableRows] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            before = _max_ids(cursor, tables)
            operation()
            after = _max_ids(cursor, tables)
            for found in tables:
                table = found.name
                if after[table] == before[table]:
                    continue
                columns = [f.column for f in found.fields]
                json = frozenset(f.column for f in found.fields if f.get_internal_type() == "JSONField")
                select = ", ".join(
                    f"{quote(c)}::text" if c in json and connection.vendor == "postgresql" else quote(c)
                    for c in columns
                )
                key = quote(found.key)
                cursor.execute(
                    f"SELECT {select} FROM {quote(table)} WHERE {key} > %s ORDER BY {key}",  # noqa: S608
                    [before[table]],
                )
                captured.append(TableRows(table, columns, json, cursor.fetchall()))
            raise _Rollback
    except _Rollback:
        pass
    return captured


def rows_insert(tables: list[TableRows]) -> int:
    """Insert the captured rows, one `executemany` per table; SQLite's full-text table is fed in one
    statement as the services feed it (its row triggers paused), so the floor does not pay more."""
    quote = connection.ops.quote_name
    feed_fts = connection.vendor == "sqlite" and any(t.table == "platform_searchentry" for t in tables)
    with connection.cursor() as cursor:
        if feed_fts:
            cursor.execute("UPDATE platform_search_pause SET paused = 1")
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM platform_searchentry")
            fts_from = cursor.fetchone()[0]
        for found in tables:
            marks = ", ".join(
                "%s::jsonb" if c in found.json_columns and connection.vendor == "postgresql" else "%s"
                for c in found.columns
            )
            columns = ", ".join(map(quote, found.columns))
            sql = f"INSERT INTO {quote(found.table)} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, found.rows)
        if feed_fts:
            cursor.execute(
                "INSERT INTO platform_search_fts(rowid, title, text) "
                "SELECT id, title, text FROM platform_searchentry WHERE id > %s",
                [fts_from],
            )
            cursor.execute("UPDATE platform_search_pause SET paused = 0")
    return sum(len(found.rows) for found in tables)
