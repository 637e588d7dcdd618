"""Accepting quotes across the customer hierarchy on the storefront (oro-spec §2.6, decision 0035):
a Corporate buyer accepts a subsidiary's quote for the subsidiary; never upward, never sideways,
never beyond its level."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.commerce.models import Order, QuoteStatus, StorefrontLevel

NONE, USER, DEPT, CORP = (int(level) for level in StorefrontLevel)
ALL = ("view", "create", "edit", "delete")


def _orders_of(quote):
    return list(Order.objects.filter(source_quote=quote))


def test_a_corporate_buyer_accepts_a_subsidiarys_quote_in_pages_and_api(world, store_as, store_api):
    """The predefined Buyer role has Corporate on quotes and orders: the order is the subsidiary's."""
    me = world.me
    child_quote = world.documents["child"]["commerce.quote"]
    answer = store_api(me).post(f"quotes/{child_quote.pk}/accept")
    assert answer.status_code == 201
    body = answer.json()
    assert (body["customer_id"], body["customer_user_id"]) == (
        world.customers["child"].pk,
        world.users["child"].pk,
    )
    grandchild_quote = world.documents["grandchild"]["commerce.quote"]
    page = store_as(me).post(f"/quotes/{grandchild_quote.pk}/accept/")
    [order] = _orders_of(grandchild_quote)
    assert page.status_code == 302
    assert page["Location"] == reverse("storefront:order", args=[order.pk])
    assert (order.customer_id, order.customer_user_id) == (
        world.customers["grandchild"].pk,
        world.users["grandchild"].pk,
    )
    grandchild_quote.refresh_from_db()
    assert grandchild_quote.status == QuoteStatus.ACCEPTED


def test_when_the_order_is_out_of_sight_the_buyer_goes_back_to_the_quote(world, give_role, store_as):
    me = give_role(world.me, {"commerce.quote": dict.fromkeys(ALL, CORP), "commerce.order": {"view": USER}})
    quote = world.documents["child"]["commerce.quote"]
    client = store_as(me)
    answer = client.post(f"/quotes/{quote.pk}/accept/")
    assert answer.status_code == 302
    assert answer["Location"] == reverse("storefront:quote", args=[quote.pk])
    [order] = _orders_of(quote)
    page = client.get(answer["Location"]).content.decode()
    assert order.identifier in page
    assert client.get(reverse("storefront:order", args=[order.pk])).status_code == 404


@pytest.mark.parametrize(
    ("who", "whose", "grants", "status"),
    [
        ("customer", "child", {"view": DEPT, "edit": DEPT}, 404),  # the parent at Department level
        ("customer", "child", {"view": CORP, "edit": DEPT}, 403),  # sees it, may not accept it
        ("customer", "sibling", {"view": CORP, "edit": CORP}, 404),  # sideways
        ("child", "customer", {"view": CORP, "edit": CORP}, 404),  # upwards
        ("customer", "colleague", {"view": DEPT, "edit": USER}, 403),  # a colleague's, at User level
    ],
)
def test_accepting_beyond_the_level_is_refused_and_places_nothing(
    world, give_role, store_as, store_api, who, whose, grants, status
):
    user = give_role(world.users[who], {"commerce.quote": grants, "commerce.order": dict.fromkeys(ALL, CORP)})
    quote = world.documents[whose]["commerce.quote"]
    orders = Order.objects.count()
    assert store_api(user).post(f"quotes/{quote.pk}/accept").status_code == status
    assert store_as(user).post(f"/quotes/{quote.pk}/accept/").status_code == status
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert Order.objects.count() == orders
