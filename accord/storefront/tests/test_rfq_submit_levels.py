"""Submitting an RFQ across the customer hierarchy on the storefront (oro-spec §2.6, decision 0035):
a parent's buyer asks for a quote on a subsidiary's list; the RFQ is the subsidiary's, so the buyer
lands on it only when its RFQ view level reaches it, else back on the list with a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.commerce.models import Rfq, StorefrontLevel

NONE, USER, DEPT, CORP = (int(level) for level in StorefrontLevel)
ALL = ("view", "create", "edit", "delete")


def _submitter(give_role, user, rfq_view):
    """Corporate on shopping lists and on submitting RFQs; RFQ view at the given level."""
    grants = {"commerce.shopping_list": dict.fromkeys(ALL, CORP), "commerce.rfq": {"create": CORP}}
    if rfq_view:
        grants["commerce.rfq"]["view"] = rfq_view
    return give_role(user, grants)


def _submit(client, shopping_list, po_number="PO-NEW"):
    answer = client.post(
        reverse("storefront:shopping_list_rfq", args=[shopping_list.pk]), {"po_number": po_number}
    )
    return answer, Rfq.objects.get(po_number=po_number)


@pytest.mark.parametrize("rfq_view", [NONE, USER, DEPT])
def test_a_parent_buyer_who_may_not_see_the_subsidiarys_rfq_goes_back_to_the_list(
    world, give_role, store_as, store_api, rfq_view, django_assert_max_num_queries
):
    me = _submitter(give_role, world.me, rfq_view)
    child_list = world.documents["child"]["commerce.shopping_list"]
    client = store_as(me)
    answer, rfq = _submit(client, child_list)
    assert (rfq.customer_id, rfq.customer_user_id) == (world.customers["child"].pk, world.users["child"].pk)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("storefront:shopping_list", args=[child_list.pk])
    with django_assert_max_num_queries(8):
        landing = client.get(answer["Location"])
    assert landing.status_code == 200
    html = landing.content.decode()
    assert f"request for quote #{rfq.pk} is submitted for Child" in html
    assert "your role does not let you see it" in html
    # the RFQ is the subsidiary's: out of this buyer's RFQ view level everywhere, consistently
    assert client.get(reverse("storefront:rfq", args=[rfq.pk])).status_code == 404
    api = store_api(me)
    assert api.get(f"rfqs/{rfq.pk}").status_code == 404
    assert rfq.pk not in {item["id"] for item in api.get("rfqs", page_size=200).json()["items"]}
    # ... and in sight of the subsidiary's buyer in whose name it was asked
    assert store_as(world.users["child"]).get(reverse("storefront:rfq", args=[rfq.pk])).status_code == 200


def test_a_parent_buyer_with_corporate_rfq_view_goes_to_the_subsidiarys_rfq(world, store_as, store_api):
    """The predefined Buyer role: Corporate on RFQs, so the subsidiary's RFQ is in sight."""
    child_list = world.documents["grandchild"]["commerce.shopping_list"]
    client = store_as(world.me)
    answer, rfq = _submit(client, child_list)
    assert answer["Location"] == reverse("storefront:rfq", args=[rfq.pk])
    page = client.get(answer["Location"])
    assert page.status_code == 200
    assert f"request for quote #{rfq.pk} is submitted." in page.content.decode()
    assert store_api(world.me).get(f"rfqs/{rfq.pk}").status_code == 200


@pytest.mark.parametrize("rfq_view", [USER, DEPT])
def test_a_buyer_goes_to_its_own_rfq_at_user_and_department_level(
    world, give_role, store_as, store_api, rfq_view
):
    me = _submitter(give_role, world.me, rfq_view)
    own_list = world.documents["customer"]["commerce.shopping_list"]
    client = store_as(me)
    answer, rfq = _submit(client, own_list)
    assert rfq.customer_user_id == me.pk
    assert answer["Location"] == reverse("storefront:rfq", args=[rfq.pk])
    assert client.get(answer["Location"]).status_code == 200
    api = store_api(me)
    assert api.get(f"rfqs/{rfq.pk}").status_code == 200
    assert rfq.pk in {item["id"] for item in api.get("rfqs", page_size=200).json()["items"]}


def test_a_sibling_buyer_never_sees_the_submitted_rfq(world, give_role, store_as, store_api):
    me = _submitter(give_role, world.me, USER)
    answer, rfq = _submit(store_as(me), world.documents["child"]["commerce.shopping_list"])
    assert answer.status_code == 302
    sibling = world.users["sibling"]  # the predefined Buyer role: Corporate on RFQs, of its own subtree
    assert store_as(sibling).get(reverse("storefront:rfq", args=[rfq.pk])).status_code == 404
    denied = store_api(sibling).get(f"rfqs/{rfq.pk}")
    assert denied.status_code == 404
    assert denied.json()["code"] == "not_found"
