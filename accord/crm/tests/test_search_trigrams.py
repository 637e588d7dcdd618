"""The quick-search trigram indexes of the contacts and accounts grids (decision 0088)."""

from __future__ import annotations

from typing import Any

import pytest

from accord.crm.console.accounts import AccountGrid
from accord.crm.console.contacts import ContactGrid
from accord.platform.tests.fixtures import assert_search_trigrams


@pytest.mark.parametrize(("table", "grid"), [("crm_contact", ContactGrid), ("crm_account", AccountGrid)])
def test_every_searched_column_has_a_trigram_index_on_postgresql(db: Any, table: str, grid: Any) -> None:
    assert_search_trigrams(table, grid.search_fields)
