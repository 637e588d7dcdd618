"""The storefront's reach follows the customer hierarchy as the back office changes it (oro-spec #10)."""

from __future__ import annotations

from accord.commerce.services.customers import customer_delete, customer_update
from accord.storefront.tests.conftest import make_documents


def _orders(api):
    return {item["customer_id"] for item in api.get("orders", page_size=200).json()["items"]}


def test_deleting_a_parent_makes_its_children_roots_outside_the_grandparents_reach(
    make_customer, make_customer_user, admin_role, store_api, product, owner
):
    """oro-spec #10: top > middle > bottom; deleting middle makes bottom a root customer, so the
    Corporate reach of top's administrator no longer includes it."""
    top = make_customer("Top")
    middle = make_customer("Middle", top)
    bottom = make_customer("Bottom", middle)
    boss = make_customer_user(top, roles=[admin_role])
    make_documents(make_customer_user(bottom), product, owner, "bottom")
    make_documents(boss, product, owner, "top")
    assert _orders(store_api(boss)) == {top.pk, bottom.pk}

    customer_delete(customer=middle, actor=owner)
    bottom.refresh_from_db()
    assert bottom.parent_id is None
    assert _orders(store_api(boss)) == {top.pk}


def test_moving_a_customer_under_another_moves_it_into_that_reach(
    make_customer, make_customer_user, admin_role, store_api, product, owner
):
    """oro-spec #69/#70: a sibling moved under the customer becomes a descendant, hence visible."""
    parent = make_customer("Parent")
    mine = make_customer("Mine", parent)
    sibling = make_customer("Sibling", parent)
    boss = make_customer_user(mine, roles=[admin_role])
    make_documents(make_customer_user(sibling), product, owner, "sibling")
    assert _orders(store_api(boss)) == set()
    customer_update(customer=sibling, parent=mine, actor=owner)
    assert _orders(store_api(boss)) == {sibling.pk}
