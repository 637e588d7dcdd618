"""The quick-search trigram indexes of the customer users and customers grids (decision 0088)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.commerce.console.customer_users import CustomerUserGrid
from accord.commerce.console.customers import CustomerGrid
from accord.platform.tests.fixtures import assert_search_trigrams

GRIDS = [("commerce_customeruser", CustomerUserGrid), ("commerce_customer", CustomerGrid)]


@pytest.mark.parametrize(("table", "grid"), GRIDS)
def test_every_searched_column_has_a_trigram_index_on_postgresql(db: Any, table: str, grid: Any) -> None:
    assert_search_trigrams(table, grid.search_fields)
