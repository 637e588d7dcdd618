"""The customer users' quick-search trigram indexes (decision 0088): one per searched column on
PostgreSQL, none on SQLite."""

from __future__ import annotations

from typing import Any

from django.db import connection

from accord.commerce.console.customer_users import CustomerUserGrid
from accord.platform.trigram import index_name


def test_every_searched_customer_user_column_has_a_trigram_index_on_postgresql(db: Any) -> None:
    wanted = {index_name("commerce_customeruser", column) for column in CustomerUserGrid.search_fields}
    with connection.cursor() as cursor:
        found = wanted & set(connection.introspection.get_constraints(cursor, "commerce_customeruser"))

    assert found == (wanted if connection.vendor == "postgresql" else set())
