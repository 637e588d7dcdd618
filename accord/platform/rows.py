"""Plain-row INSERTs for set-based writes (generated data, imports, index and history rows).

`bulk_create` builds a model instance per row and compiles the statement value by value; at a
million rows that is most of the time spent. `insert_rows` takes tuples, prepares each column
once, lets values of the column's native type through untouched and hands everything else to the
field's own `get_db_prep_save`, so what is stored is exactly what the ORM would store.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterable, Sequence
from contextlib import nullcontext
from typing import Any, TypeVar

from django.db import connections, models, router

CHUNK = 1000
COPY_FROM = 100  # PostgreSQL: from this many rows on, COPY instead of a prepared INSERT per row
_SERIAL = {"AutoField", "BigAutoField", "SmallAutoField"}
_NOTHING = object()
M = TypeVar("M", bound=models.Model)
INTEGER_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
    }
)
# Column types whose values the database drivers take as they are, and the Python type they take.
_NATIVE: dict[str, type] = {
    **dict.fromkeys(INTEGER_TYPES, int),
    "CharField": str,
    "TextField": str,
    "EmailField": str,
    "SlugField": str,
    "BooleanField": bool,
}


def column_preparer(field: models.Field[Any, Any], connection: Any) -> Callable[[Any], Any]:
    """A function preparing one column's values for the driver, as `field.get_db_prep_save` would."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    native = _NATIVE.get(target.get_internal_type())
    if isinstance(target, models.DecimalField):
        native = decimal.Decimal  # SQLite's and psycopg's adapters take Decimal as it is

    last: list[Any] = [_NOTHING, None]  # bulk rows share values (one `now` for all): prepare each once

    def prepare(value: Any) -> Any:
        if value is None or (native is not None and type(value) is native):
            return value
        if value is not last[0]:
            last[:] = value, field.get_db_prep_save(value, connection)
        return last[1]

    return prepare


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Sequence[Any]],
    fields: Sequence[str],
    *,
    unique: Sequence[str] = (),
) -> None:
    """INSERT plain rows (values of the named fields, by name or attname) with `executemany`, or COPY
    from `COPY_FROM` rows on PostgreSQL; no ids come back, for writes whose rows are not used
    afterwards. With `unique` (fields of a unique constraint), a row that conflicts updates the
    existing one's other fields instead (upsert, never by COPY)."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    concrete = {f.name: f for f in model._meta.concrete_fields} | {
        f.attname: f for f in model._meta.concrete_fields
    }
    columns = [concrete[name] for name in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    if unique:
        keys = {concrete[name].column for name in unique}
        updates = ", ".join(
            f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in columns if f.column not in keys
        )
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in sorted(keys))}) DO UPDATE SET {updates}"
    preparers = [column_preparer(field, connection) for field in columns]
    with connection.cursor() as cursor:
        if not unique and _copies(connection, len(rows)):
            streamed = ([prepare(v) for prepare, v in zip(preparers, row, strict=True)] for row in rows)
            rows_copy(cursor, model._meta.db_table, [f.column for f in columns], streamed, len(rows))
            return
        for start in range(0, len(rows), CHUNK):
            prepared = [
                [prepare(value) for prepare, value in zip(preparers, row, strict=True)]
                for row in rows[start : start + CHUNK]
            ]
            cursor.executemany(sql, prepared)


def instances_insert(instances: Iterable[M], *, batch: int = 500) -> list[M]:
    """`bulk_create` for new instances of one model, without its per-value statement compilation,
    giving each instance its primary key: on PostgreSQL reserved from the sequence and written by
    COPY (from `COPY_FROM` rows, decision 0086) or one prepared statement (`executemany`, decision
    0082); a single row, and every row on SQLite (≥ 3.35, as Django's own bulk_create relies on), by
    INSERTs with RETURNING. `auto_now(_add)` fields are filled as the ORM would."""
    items = list(instances)
    if not items:
        return items
    model = type(items[0])
    meta = model._meta
    connection = connections[router.db_for_write(model)]
    if (
        len(items) > 1
        and getattr(items[0], meta.pk.attname) is None
        and meta.pk.get_internal_type() in _SERIAL
    ):
        reserved = ids_reserve(model, len(items))  # None on SQLite; one row takes its key from RETURNING
        for instance, pk in zip(items, reserved or (), strict=False):
            instance.pk = pk
    fields = [
        f for f in meta.concrete_fields if not f.primary_key or getattr(items[0], f.attname) is not None
    ]
    with_pk = any(f.primary_key for f in fields)
    auto = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    relations = [f for f in fields if isinstance(f, models.ForeignKey)]
    preparers = [column_preparer(field, connection) for field in fields]
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "  # noqa: S608
    one = f"({', '.join(['%s'] * len(fields))})"
    pk_column = quote(meta.pk.column)
    batch = max(1, min(batch, 30_000 // len(fields)))  # SQLite takes at most 32,766 parameters
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch):
            chunk = items[start : start + batch]
            rows = [_row(instance, fields, preparers, auto, relations) for instance in chunk]
            if with_pk and _copies(connection, len(rows)):
                rows_copy(cursor, meta.db_table, [f.column for f in fields], rows, len(rows))
            elif with_pk and connection.vendor == "postgresql":
                cursor.executemany(head + one, rows)  # one short statement: parsed once, prepared
            else:
                many = head + ", ".join([one] * len(chunk))
                params = [value for row in rows for value in row]
                if with_pk:
                    cursor.execute(many, params)
                else:
                    cursor.execute(f"{many} RETURNING {pk_column}", params)
                    for instance, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                        instance.pk = pk
            for instance in chunk:
                instance._state.adding = False
                instance._state.db = connection.alias
    return items


def _copies(connection: Any, count: int) -> bool:
    return connection.vendor == "postgresql" and count >= COPY_FROM


def rows_copy(
    cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], count: int
) -> None:
    """PostgreSQL: stream prepared rows into the table with one COPY — about three times the rate of
    a prepared INSERT per row (decision 0086). Errors come as Django's, and where Django logs queries
    the COPY is logged like an `executemany` of `count` rows."""
    db = cursor.db
    quote = db.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    db.validate_no_broken_transaction()
    debug = getattr(cursor, "debug_sql", None)  # Django's CursorDebugWrapper (tests, DEBUG)
    logged = debug(sql, range(count), many=True) if debug else nullcontext()
    with logged, db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _row(
    instance: models.Model,
    fields: list[models.Field[Any, Any]],
    preparers: list[Callable[[Any], Any]],
    auto: list[models.Field[Any, Any]],
    relations: list[models.ForeignKey[Any, Any]],
) -> list[Any]:
    """The instance's column values as the driver takes them, once what a save fills is filled."""
    for field in auto:
        field.pre_save(instance, add=True)
    for field in relations:  # a parent assigned before it was saved: take its key now
        if getattr(instance, field.attname) is None and field.is_cached(instance):
            parent = field.get_cached_value(instance)
            if parent is not None and parent.pk is not None:
                setattr(instance, field.attname, parent.pk)
    return [prepare(getattr(instance, f.attname)) for prepare, f in zip(preparers, fields, strict=True)]


def ids_reserve(model: type[models.Model], count: int) -> list[int] | None:
    """PostgreSQL: `count` new primary keys from the table's sequence in one statement, ascending, so
    rows can be written with values derived from their ids (no UPDATE afterwards). None elsewhere:
    SQLite hands out ids only on INSERT."""
    connection = connections[router.db_for_write(model)]
    if connection.vendor != "postgresql" or count < 1:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return sorted(row[0] for row in cursor.fetchall())
