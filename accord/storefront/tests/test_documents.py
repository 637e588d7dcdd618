"""Shopping lists, RFQs, quotes and orders on the storefront pages: the buyer's journey."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce.models import Order, QuoteStatus, Rfq, ShoppingList, ShoppingListLine
from accord.commerce.services.products import product_update
from accord.commerce.services.quotes import quote_create_from_rfq
from accord.commerce.services.shopping_lists import shopping_list_item_add
from accord.storefront.tests.conftest import make_documents


@pytest.fixture
def buyer(make_customer, make_customer_user):
    return make_customer_user(make_customer("Acme"), email="bea@acme.example")


def test_create_a_list_add_products_change_quantities_and_remove(buyer, store_as, product, other_product):
    client = store_as(buyer)
    assert client.post("/shopping-lists/", {"name": " "}).status_code == 200
    assert not ShoppingList.objects.exists()
    response = client.post("/shopping-lists/", {"name": "Office"})
    shopping_list = ShoppingList.objects.get()
    assert response["Location"] == f"/shopping-lists/{shopping_list.pk}/"
    assert (shopping_list.customer_user, shopping_list.customer) == (buyer, buyer.customer)

    page = client.get("/products/")
    assert b"PAPER-A4" in page.content
    assert b"Office" in page.content
    client.post("/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk, "quantity": "3"})
    client.post(f"/shopping-lists/{shopping_list.pk}/items/", {"product": other_product.pk, "quantity": "1"})
    client.post("/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk, "quantity": "2"})
    lines = {line.product.sku: line for line in shopping_list.lines.select_related("product")}
    assert {sku: line.quantity for sku, line in lines.items()} == {"PAPER-A4": 5, "PEN-BLUE": 1}

    client.post(f"/shopping-lists/{shopping_list.pk}/items/{lines['PEN-BLUE'].pk}/", {"quantity": "4"})
    refused = client.post(
        f"/shopping-lists/{shopping_list.pk}/items/{lines['PEN-BLUE'].pk}/", {"quantity": "-1"}
    )
    assert refused.status_code == 422
    assert ShoppingListLine.objects.get(pk=lines["PEN-BLUE"].pk).quantity == 4
    client.post(f"/shopping-lists/{shopping_list.pk}/items/{lines['PAPER-A4'].pk}/remove/")
    assert [line.product.sku for line in shopping_list.lines.all()] == ["PEN-BLUE"]

    client.post(f"/shopping-lists/{shopping_list.pk}/rename/", {"name": "Office supplies"})
    shopping_list.refresh_from_db()
    assert shopping_list.name == "Office supplies"
    assert client.post(f"/shopping-lists/{shopping_list.pk}/rename/", {"name": ""}).status_code == 422


def test_an_htmx_quantity_change_answers_the_page_with_the_message(buyer, store_as, product):
    """htmx swaps only 2xx answers: a refused quantity answers 200 to htmx (422 to a plain form)."""
    client = store_as(buyer)
    client.post("/shopping-lists/", {"name": "Office"})
    shopping_list = ShoppingList.objects.get()
    client.post("/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk})
    line = shopping_list.lines.get()
    url = f"/shopping-lists/{shopping_list.pk}/items/{line.pk}/"
    refused = client.post(url, {"quantity": "0"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 200
    assert b'id="store-messages"' in refused.content
    assert b"Must be greater than 0" in refused.content
    assert client.post(url, {"quantity": "0"}).status_code == 422
    assert ShoppingListLine.objects.get(pk=line.pk).quantity == 1


def test_a_disabled_product_cannot_be_added(buyer, store_as, product, owner):
    client = store_as(buyer)
    client.post("/shopping-lists/", {"name": "Office"})
    shopping_list = ShoppingList.objects.get()
    product_update(product=product, status="disabled", actor=owner)
    assert (
        client.post("/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk}).status_code
        == 404
    )
    assert not shopping_list.lines.exists()
    assert b"PAPER-A4" not in client.get("/products/").content


def test_submit_an_rfq_see_the_quote_accept_it_and_see_the_order(buyer, store_as, product, owner):
    client = store_as(buyer)
    client.post("/shopping-lists/", {"name": "Office"})
    shopping_list = ShoppingList.objects.get()
    empty = client.post(f"/shopping-lists/{shopping_list.pk}/rfq/", {"po_number": "PO-1"})
    assert empty.status_code == 422
    assert not Rfq.objects.exists()
    client.post(
        "/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk, "quantity": "10"}
    )
    response = client.post(f"/shopping-lists/{shopping_list.pk}/rfq/", {"po_number": "PO-1", "note": "Soon"})
    rfq = Rfq.objects.get()
    assert response["Location"] == f"/rfqs/{rfq.pk}/"
    assert (rfq.customer_user, rfq.po_number, rfq.lines.get().quantity) == (buyer, "PO-1", 10)
    assert b"PO-1" in client.get("/rfqs/").content

    quote = quote_create_from_rfq(rfq=rfq, actor=owner)
    assert f"/quotes/{quote.pk}/".encode() in client.get(f"/rfqs/{rfq.pk}/").content
    page = client.get(f"/quotes/{quote.pk}/")
    assert b"Accept and order" in page.content
    assert b"49.00 USD" in page.content
    accepted = client.post(f"/quotes/{quote.pk}/accept/")
    order = Order.objects.get()
    assert accepted["Location"] == f"/orders/{order.pk}/"
    assert (order.customer_user, order.source_quote, order.total) == (buyer, quote, 49)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    again = client.post(f"/quotes/{quote.pk}/accept/", follow=True)
    assert b"already been accepted" in again.content
    assert Order.objects.count() == 1
    assert order.identifier.encode() in client.get("/orders/").content
    assert b"49.00 USD" in client.get(f"/orders/{order.pk}/").content


def test_reorder_creates_a_list_with_the_order_products(buyer, store_as, product, owner):
    documents = make_documents(buyer, product, owner, "x")
    order = documents["commerce.order"]
    response = store_as(buyer).post(f"/orders/{order.pk}/reorder/")
    created = ShoppingList.objects.exclude(pk=documents["commerce.shopping_list"].pk).get()
    assert response["Location"] == f"/shopping-lists/{created.pk}/"
    assert created.name == f"Reorder of {order.identifier}"
    assert [(line.product_id, line.quantity) for line in created.lines.all()] == [(product.pk, 1)]


def test_delete_a_list(buyer, store_as):
    client = store_as(buyer)
    client.post("/shopping-lists/", {"name": "Gone soon"})
    shopping_list = ShoppingList.objects.get()
    assert client.get(f"/shopping-lists/{shopping_list.pk}/delete/").status_code == 405
    assert client.post(f"/shopping-lists/{shopping_list.pk}/delete/").status_code == 302
    assert not ShoppingList.objects.exists()


def test_a_role_without_rfq_create_cannot_submit(buyer, store_as, give_role, product):
    me = give_role(
        buyer, {"commerce.shopping_list": {"view": 3, "create": 3, "edit": 3}, "commerce.rfq": {"view": 3}}
    )
    client = store_as(me)
    client.post("/shopping-lists/", {"name": "Office"})
    shopping_list = ShoppingList.objects.get()
    client.post("/products/add/", {"shopping_list": shopping_list.pk, "product": product.pk})
    assert b"Submit request for quote" not in client.get(f"/shopping-lists/{shopping_list.pk}/").content
    assert client.post(f"/shopping-lists/{shopping_list.pk}/rfq/").status_code == 403
    assert not Rfq.objects.exists()


def test_a_role_without_shopping_lists_hides_them(buyer, store_as, give_role):
    me = give_role(buyer, {"commerce.order": {"view": 2}})
    client = store_as(me)
    assert b"/shopping-lists/" not in client.get("/").content
    assert client.post("/shopping-lists/", {"name": "No"}).status_code == 403
    assert not ShoppingList.objects.exists()


def count_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/shopping-lists/", "/rfqs/", "/quotes/", "/orders/", "/products/"])
def test_list_pages_run_a_bounded_number_of_queries(path, buyer, store_as, product, owner):
    """No N+1: twelve more documents of each type cost no extra query."""
    client = store_as(buyer)
    make_documents(buyer, product, owner, "first")
    few = count_queries(client, path)
    for n in range(12):
        make_documents(buyer, product, owner, f"more-{n}")
    assert count_queries(client, path) == few <= 12


@pytest.mark.parametrize("kind", ["shopping_list", "rfq", "quote", "order"])
def test_detail_pages_run_a_bounded_number_of_queries(kind, buyer, store_as, product, other_product, owner):
    client = store_as(buyer)
    small = make_documents(buyer, product, owner, "small")[f"commerce.{kind}"]
    few = count_queries(client, f"/{kind.replace('_', '-')}s/{small.pk}/")
    big = make_documents(buyer, product, owner, "big")
    shopping_list_item_add(
        shopping_list=big["commerce.shopping_list"], product=other_product, quantity=1, actor=buyer
    )
    assert count_queries(client, f"/{kind.replace('_', '-')}s/{big[f'commerce.{kind}'].pk}/") <= few + 1
