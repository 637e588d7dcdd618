"""Trigram indexes for the console grids' quick search on PostgreSQL (decision 0088).

The quick search matches a part of a name or an email (`icontains`), which Django writes as
`UPPER(col::text) LIKE UPPER('%smith%')`: no b-tree serves it, so a search read every row (a second
over 500,000 contacts). A GIN index of the same expression's trigrams (extension `pg_trgm`, part of
PostgreSQL's contrib modules) answers it from the index. Where the extension is missing or may not
be created, the search keeps its scan; SQLite has nothing to do.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, transaction


def index_name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"[:63]


def extension_created(schema_editor: Any, name: str) -> bool:
    """Create a PostgreSQL extension if the server has it and we may (migrations of optional indexes:
    `pg_trgm` here, `rum` in platform 0006); a refusal leaves the plain path."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = %s", [name])
        if cursor.fetchone() is None:
            return False
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {schema_editor.quote_name(name)}")
        except Exception:  # noqa: BLE001 - e.g. insufficient privilege
            return False
    return True


def trigram_indexes(table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A migration operation creating (and dropping, backwards) the trigram indexes of `columns`."""

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql" or not extension_created(schema_editor, "pg_trgm"):
            return
        quote = schema_editor.quote_name
        for column in columns:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(index_name(table, column))} ON {quote(table)} "
                f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
            )

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in columns:
            schema_editor.execute(
                f"DROP INDEX IF EXISTS {schema_editor.quote_name(index_name(table, column))}"
            )

    return migrations.RunPython(forwards, backwards)
