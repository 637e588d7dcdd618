"""The rows of a page of the buyer's shopping lists, RFQs and quotes as their storefront schemas write
them: the document columns, then the page's lines in one query (decisions 0084, 0087)."""

from __future__ import annotations

from typing import Any

from accord.commerce.api.document_rows import LINE
from accord.commerce.api.document_rows import quote_rows as commerce_quote_rows
from accord.commerce.models import Rfq, ShoppingList
from accord.platform.api.child_rows import child_rows
from accord.platform.money import Money, decimal_text
from accord.storefront.api.schemas import QuoteOut, RfqOut, ShoppingListOut

LIST_COLUMNS = tuple(name for name in ShoppingListOut.model_fields if name != "items")
RFQ_COLUMNS = tuple(name for name in RfqOut.model_fields if name != "lines")
QUOTE_COLUMNS = (*(name for name in QuoteOut.model_fields if name != "lines"), "currency")
ITEM = LINE | {"sku": "product__sku", "name": "product__name"}


def _lines(owner: Any, rows: list[dict[str, Any]], keys: dict[str, str]) -> dict[int, list[dict[str, Any]]]:
    lines = child_rows(owner, "lines", [row["id"] for row in rows], keys)
    for owned in lines.values():
        for line in owned:
            line["quantity"] = decimal_text(line["quantity"])
    return lines


def shopping_list_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `LIST_COLUMNS`) with their items (sku and name from the product)."""
    items = _lines(ShoppingList, rows, ITEM)
    for row in rows:
        row["items"] = items.get(row["id"], [])
    return rows


def rfq_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `RFQ_COLUMNS`) with their lines."""
    lines = _lines(Rfq, rows, LINE)
    for row in rows:
        row["lines"] = lines.get(row["id"], [])
    return rows


def quote_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`rows` (the page's `QUOTE_COLUMNS`) as the console API writes them, but unit prices as plain
    money (two decimals), as `PricedLineOut` does."""
    return commerce_quote_rows(rows, unit_price=lambda amount, currency: Money(amount, currency).as_json())
