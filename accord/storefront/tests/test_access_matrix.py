"""The storefront access-level matrix (oro-spec #67–#71): for each level and each document type,
the users of the customer, a child, a grandchild, the parent and a sibling, exactly the right
records in pages, API lists and counts; every change outside the grant refused with nothing written."""

from __future__ import annotations

import re

import pytest

from accord.commerce.models import (
    Order,
    Quote,
    QuoteStatus,
    Rfq,
    ShoppingList,
    ShoppingListLine,
    StorefrontLevel,
)
from accord.storefront.tests.conftest import DOCUMENTS

NONE, USER, DEPT, CORP = (int(level) for level in StorefrontLevel)
LEVELS = {"none": NONE, "user": USER, "department": DEPT, "corporate": CORP}
# whose records a user of "customer" reaches, per level (oro-spec §2.6)
EXPECTED = {
    "none": set(),
    "user": {"customer"},
    "department": {"customer", "colleague"},
    "corporate": {"customer", "colleague", "child", "grandchild"},
}
OWNERS = ("customer", "colleague", "child", "grandchild", "parent", "sibling")
PAGES = {
    "commerce.shopping_list": ("shopping-lists", 'data-list="{}"'),
    "commerce.rfq": ("rfqs", 'data-rfq="{}"'),
    "commerce.quote": ("quotes", 'data-quote="{}"'),
    "commerce.order": ("orders", 'data-order="{}"'),
}
ALL = ("view", "create", "edit", "delete")


def _grant(give_role, world, key, level):
    return give_role(world.me, {key: dict.fromkeys(ALL, level)} if level else {})


def _owner_of(world, key, pk):
    return next(place for place in OWNERS if world.documents[place][key].pk == pk)


@pytest.mark.parametrize("key", DOCUMENTS)
@pytest.mark.parametrize("level", list(LEVELS))
def test_pages_and_api_show_exactly_the_records_of_the_level(
    world, give_role, store_as, store_api, key, level
):
    """oro-spec #67, #68, #69, #70, #71: User = own, Department = same customer, Corporate = the
    customer and its descendants; never the parent or a sibling; None = nothing."""
    me = _grant(give_role, world, key, LEVELS[level])
    expected = EXPECTED[level]
    resource, marker = PAGES[key]

    answer = store_api(me).get(resource, page_size=200)
    assert answer.status_code == 200
    body = answer.json()
    assert {_owner_of(world, key, item["id"]) for item in body["items"]} == expected
    assert body["count"] == len(expected)

    page = store_as(me).get(f"/{resource}/")
    assert page.status_code == 200
    html = page.content.decode()
    shown = {int(pk) for pk in re.findall(marker.format(r"(\d+)"), html)}
    assert {_owner_of(world, key, pk) for pk in shown} == expected
    assert f'data-count="{resource.replace("-", "_")}">{len(expected)} ' in html

    client, api = store_as(me), store_api(me)
    for place in OWNERS:
        pk = world.documents[place][key].pk
        status = 200 if place in expected else 404
        assert client.get(f"/{resource}/{pk}/").status_code == status, place
        assert api.get(f"{resource}/{pk}").status_code == status, place
        if status == 404:
            assert api.get(f"{resource}/{pk}").json()["code"] == "not_found"


@pytest.mark.parametrize("level", list(LEVELS))
def test_shopping_list_changes_outside_the_grant_are_404_and_write_nothing(
    world, give_role, store_as, store_api, product, level
):
    """oro-spec #67–#71: renaming, deleting, adding to, changing and removing lines of a list
    outside the grant answers 404 in pages and API, and changes nothing."""
    me = _grant(give_role, world, "commerce.shopping_list", LEVELS[level])
    api, client = store_api(me), store_as(me)
    for place in set(OWNERS) - EXPECTED[level]:
        record = world.documents[place]["commerce.shopping_list"]
        line = record.lines.get()
        before = (record.name, line.quantity, ShoppingListLine.objects.count())
        attempts = [
            api.patch(f"shopping-lists/{record.pk}", {"name": "Hijacked"}),
            api.post(f"shopping-lists/{record.pk}/items", {"product_id": product.pk, "quantity": 5}),
            api.patch(f"shopping-lists/{record.pk}/items/{line.pk}", {"quantity": 9}),
            api.delete(f"shopping-lists/{record.pk}/items/{line.pk}"),
            api.delete(f"shopping-lists/{record.pk}"),
            client.post(f"/shopping-lists/{record.pk}/rename/", {"name": "Hijacked"}),
            client.post(f"/shopping-lists/{record.pk}/items/", {"product": product.pk, "quantity": 5}),
            client.post("/products/add/", {"shopping_list": record.pk, "product": product.pk, "quantity": 5}),
            client.post(f"/shopping-lists/{record.pk}/items/{line.pk}/", {"quantity": 9}),
            client.post(f"/shopping-lists/{record.pk}/items/{line.pk}/remove/"),
            client.post(f"/shopping-lists/{record.pk}/delete/"),
        ]
        assert [a.status_code for a in attempts] == [404] * len(attempts), place
        record.refresh_from_db()
        assert (record.name, record.lines.get().quantity, ShoppingListLine.objects.count()) == before


@pytest.mark.parametrize("level", list(LEVELS))
def test_rfq_from_a_list_outside_the_grant_is_404_and_writes_nothing(
    world, give_role, store_as, store_api, level
):
    """oro-spec #67–#71: an RFQ cannot be submitted from a shopping list the user does not see."""
    grants = {
        "commerce.shopping_list": dict.fromkeys(ALL, LEVELS[level]),
        "commerce.rfq": dict.fromkeys(ALL, CORP),
    }
    me = give_role(world.me, grants)
    count = Rfq.objects.count()
    for place in set(OWNERS) - EXPECTED[level]:
        record = world.documents[place]["commerce.shopping_list"]
        assert store_api(me).post("rfqs", {"shopping_list_id": record.pk}).status_code == 404
        assert store_as(me).post(f"/shopping-lists/{record.pk}/rfq/", {"po_number": "X"}).status_code == 404
    assert Rfq.objects.count() == count


@pytest.mark.parametrize("level", list(LEVELS))
def test_quote_accept_outside_the_grant_is_404_and_places_no_order(
    world, give_role, store_as, store_api, level
):
    """oro-spec #67–#71: accepting a quote the user does not see answers 404; no order, quote unchanged."""
    me = _grant(give_role, world, "commerce.quote", LEVELS[level])
    orders = Order.objects.count()
    for place in set(OWNERS) - EXPECTED[level]:
        quote = world.documents[place]["commerce.quote"]
        assert store_api(me).post(f"quotes/{quote.pk}/accept").status_code == 404
        assert store_as(me).post(f"/quotes/{quote.pk}/accept/").status_code == 404
        quote.refresh_from_db()
        assert quote.status == QuoteStatus.SENT
    assert Order.objects.count() == orders


@pytest.mark.parametrize("level", list(LEVELS))
def test_reorder_outside_the_grant_is_404_and_creates_no_list(world, give_role, store_as, store_api, level):
    """oro-spec #67–#71: reordering an order the user does not see answers 404; no list is created."""
    grants = {
        "commerce.order": dict.fromkeys(ALL, LEVELS[level]),
        "commerce.shopping_list": dict.fromkeys(ALL, CORP),
    }
    me = give_role(world.me, grants)
    lists = ShoppingList.objects.count()
    for place in set(OWNERS) - EXPECTED[level]:
        order = world.documents[place]["commerce.order"]
        assert store_api(me).post(f"orders/{order.pk}/reorder").status_code == 404
        assert store_as(me).post(f"/orders/{order.pk}/reorder/").status_code == 404
    assert ShoppingList.objects.count() == lists


def test_visible_but_not_changeable_is_403_and_writes_nothing(world, give_role, store_as, store_api):
    """oro-spec #68: a colleague's list seen at Department but editable only at User (Own) level is
    refused with 403 (its existence is no secret), and nothing changes."""
    me = give_role(
        world.me, {"commerce.shopping_list": {"view": DEPT, "create": USER, "edit": USER, "delete": USER}}
    )
    record = world.documents["colleague"]["commerce.shopping_list"]
    assert store_api(me).get(f"shopping-lists/{record.pk}").status_code == 200
    assert store_api(me).patch(f"shopping-lists/{record.pk}", {"name": "Mine now"}).status_code == 403
    assert store_api(me).delete(f"shopping-lists/{record.pk}").status_code == 403
    assert store_as(me).post(f"/shopping-lists/{record.pk}/rename/", {"name": "Mine now"}).status_code == 403
    record.refresh_from_db()
    assert record.name == "List colleague"
    own = world.documents["customer"]["commerce.shopping_list"]
    assert store_api(me).patch(f"shopping-lists/{own.pk}", {"name": "Renamed"}).status_code == 200


def test_no_level_shows_drafts_of_quotes(world, give_role, store_api, owner):
    """Buyers see the quotes offered to them, never a sales rep's draft (even at Corporate)."""
    from accord.commerce.services.quotes import quote_create_from_rfq

    draft = quote_create_from_rfq(rfq=world.documents["customer"]["commerce.rfq"], actor=owner, send=False)
    me = _grant(give_role, world, "commerce.quote", CORP)
    ids = {item["id"] for item in store_api(me).get("quotes", page_size=200).json()["items"]}
    assert draft.pk not in ids
    assert Quote.objects.filter(pk=draft.pk).exists()
    assert store_api(me).get(f"quotes/{draft.pk}").status_code == 404
