"""GET /api/v1/shopping-lists, /rfqs and /quotes build their rows from columns (decision 0087): each
item is the document's detail (which goes through its schema), in a number of queries that does not
grow with the page, and only the documents the caller may view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.commerce.models import CustomerUser, Quote, Rfq, RfqLine, ShoppingList
from accord.commerce.services.quotes import quote_create_from_rfq, rfq_submit
from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
from accord.platform.models import AccessLevel, User

PATHS = ("shopping-lists", "rfqs", "quotes")


def _documents(admin: User, buyer: CustomerUser, make_product: Callable[..., Any], tag: str) -> Quote:
    """A shopping list of two products (one with a 4-decimal price, a fractional quantity), its RFQ
    and a sent quote for it."""
    sl = shopping_list_create(customer_user=buyer, name=f"List {tag}", actor=buyer)
    shopping_list_item_add(shopping_list=sl, product=make_product("10.00"), quantity=2, actor=buyer)
    shopping_list_item_add(shopping_list=sl, product=make_product("0.3333"), quantity="1.5", actor=buyer)
    rfq = rfq_submit(shopping_list=sl, customer_user=buyer, po_number=f"PO-{tag}", actor=buyer)
    return quote_create_from_rfq(
        rfq=rfq, valid_until=timezone.localdate() + dt.timedelta(days=30), actor=admin
    )


def test_each_row_is_the_documents_detail(
    api_as: Any, admin: User, buyer: CustomerUser, make_product: Callable[..., Any]
) -> None:
    lapsed = _documents(admin, buyer, make_product, "a")
    Quote.objects.filter(pk=lapsed.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    current = _documents(admin, buyer, make_product, "b")
    first_line = RfqLine.objects.filter(rfq_id=current.rfq_id).order_by("id").first()
    assert first_line is not None
    RfqLine.objects.filter(pk=first_line.pk).update(target_price=None)  # a line without a target price
    api = api_as(admin)

    for path in PATHS:
        items = api.get(path, sort="id").json()["items"]
        assert len(items) == 2
        for item in items:
            assert item == api.get(f"{path}/{item['id']}").json()
    quotes = api.get("quotes", sort="id").json()["items"]
    assert [quote["status"] for quote in quotes] == ["expired", "sent"]
    assert [line["unit_price"]["amount"] for line in quotes[1]["lines"]] == ["10.00", "0.3333"]
    assert [line["total"]["amount"] for line in quotes[1]["lines"]] == ["20.00", "0.50"]
    rfqs = api.get("rfqs", sort="id").json()["items"]
    assert rfqs[1]["lines"][0]["target_price"] is None
    assert rfqs[0]["lines"][1]["target_price"]["amount"] == "0.3333"
    lists = api.get("shopping-lists", sort="id").json()["items"]
    assert [line["quantity"] for line in lists[0]["lines"]] == ["2", "1.5"]


def test_only_the_documents_the_caller_may_view(
    api_as: Any,
    admin: User,
    buyer: CustomerUser,
    make_product: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    own = {"view": AccessLevel.USER}
    me = make_user("me", grants={f"commerce.{e}": own for e in ("shopping_list", "rfq", "quote")})
    mine = _documents(admin, buyer, make_product, "mine")
    _documents(admin, buyer, make_product, "theirs")
    assert mine.rfq is not None
    ShoppingList.objects.filter(pk=mine.rfq.shopping_list_id).update(owner=me)
    Rfq.objects.filter(pk=mine.rfq_id).update(owner=me)
    Quote.objects.filter(pk=mine.pk).update(owner=me)
    nobody = make_user("no.grants", grants={"commerce.customer": {"view": AccessLevel.ORGANIZATION}})

    expected = {"shopping-lists": mine.rfq.shopping_list_id, "rfqs": mine.rfq_id, "quotes": mine.pk}
    for path, pk in expected.items():
        assert [item["id"] for item in api_as(me).get(path).json()["items"]] == [pk]
        assert api_as(nobody).get(path).json() == {"count": 0, "count_exact": True, "items": []}
        assert api_as(None).get(path).status_code == 401


@pytest.mark.parametrize("path", PATHS)
def test_query_count_does_not_grow_with_the_page(
    api_as: Any, admin: User, buyer: CustomerUser, make_product: Callable[..., Any], path: str
) -> None:
    api = api_as(admin)
    api.get(path)  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Quote.objects.count() < size:
            _documents(admin, buyer, make_product, str(Quote.objects.count()))
        with CaptureQueriesContext(connection) as ctx:
            items = api.get(path, page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        assert all(len(item["lines"]) == 2 for item in items)
    assert counts[0] == counts[1]
