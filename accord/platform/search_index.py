"""Writing search entries in bulk while SQLite's full-text index keeps step.

Row by row, SQLite's FTS5 triggers cost ~130 µs per entry on a 300,000-entry index. From `BULK`
entries on, a writer pauses them inside its transaction (migration 0004) and feeds the full-text
table with one INSERT … SELECT per statement instead (~20 µs per entry). PostgreSQL's index
needs none of this; for the data generator it is dropped and built once at the end instead.
Entries are compared with what is stored first, so an unchanged document is not rewritten.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from accord.platform.models import SearchEntry
from accord.platform.rows import insert_rows

BULK = 200
ENTRY_FIELDS = ("entity", "object_id", "title", "text", "owner_id", "business_unit_id", "organization_id")
_CHUNK = 900  # ids per IN list, below SQLite's 999-variable floor of older builds
FULL_TEXT_INDEXES = ("platform_search_rum", "platform_search_gin")  # migration 0006: one or the other


def entries_stored(*, entity: str, ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """The stored entries of the records, as {record id: values of `ENTRY_FIELDS` after the id}."""
    stored = SearchEntry.objects.filter(entity=entity).values_list("object_id", *ENTRY_FIELDS[2:])
    return {
        object_id: tuple(values)
        for start in range(0, len(ids), _CHUNK)
        for object_id, *values in stored.filter(object_id__in=list(ids[start : start + _CHUNK]))
    }


def entries_write(*, entity: str, rows: Sequence[Sequence[Any]], replace_ids: Sequence[int] = ()) -> None:
    """Drop the entity's entries of `replace_ids`, then insert `rows` (values of `ENTRY_FIELDS`)."""
    if connection.vendor != "sqlite" or max(len(rows), len(replace_ids)) < BULK:
        if not replace_ids:
            insert_rows(SearchEntry, rows, ENTRY_FIELDS)  # one statement: no savepoint needed
            return
        with transaction.atomic():
            SearchEntry.objects.filter(entity=entity, object_id__in=replace_ids).delete()
            insert_rows(SearchEntry, rows, ENTRY_FIELDS)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE platform_search_pause SET paused = 1")
        for start in range(0, len(replace_ids), _CHUNK):
            chunk = list(replace_ids[start : start + _CHUNK])
            where = f"entity = %s AND object_id IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(
                "INSERT INTO platform_search_fts(platform_search_fts, rowid, title, text) "  # noqa: S608
                f"SELECT 'delete', id, title, text FROM platform_searchentry WHERE {where}",
                [entity, *chunk],
            )
            cursor.execute(f"DELETE FROM platform_searchentry WHERE {where}", [entity, *chunk])  # noqa: S608
        # AUTOINCREMENT ids only grow, and this transaction holds the write lock.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM platform_searchentry")
        before = cursor.fetchone()[0]
        insert_rows(SearchEntry, rows, ENTRY_FIELDS)
        cursor.execute(
            "INSERT INTO platform_search_fts(rowid, title, text) "
            "SELECT id, title, text FROM platform_searchentry WHERE id > %s",
            [before],
        )
        cursor.execute("UPDATE platform_search_pause SET paused = 0")


@contextmanager
def full_text_index_deferred() -> Iterator[None]:
    """PostgreSQL: drop the full-text index for a bulk load and build it once at the end, from its
    own definition. Kept up entry by entry, the RUM index costs ~0.1 ms an entry (hours for the 3.3
    million entries of scale 10); built at once, about 10 µs. Meanwhile search runs without it
    (slowly), and the build at the end holds writes to the table back: this is for the data
    generator, not for work beside users."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname = ANY(%s)",
            [SearchEntry._meta.db_table, list(FULL_TEXT_INDEXES)],
        )
        dropped = cursor.fetchall()
        for name, _definition in dropped:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, definition in dropped:
                cursor.execute(definition)
