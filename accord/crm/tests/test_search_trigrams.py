"""The quick-search trigram indexes (decision 0088): on PostgreSQL each column the contacts grid
searches has one, on SQLite none."""

from __future__ import annotations

from typing import Any

from django.db import connection

from accord.crm.console.contacts import ContactGrid
from accord.platform.trigram import index_name


def _indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, table))


def test_every_searched_contact_column_has_a_trigram_index_on_postgresql(db: Any) -> None:
    wanted = {index_name("crm_contact", column) for column in ContactGrid.search_fields}

    found = wanted & _indexes("crm_contact")

    assert found == (wanted if connection.vendor == "postgresql" else set())
