"""The storefront API: session auth with CSRF, OpenAPI, me, the documents' endpoints, the error
shape and list conventions of /api/v1/, and bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accord.commerce.models import Order, QuoteStatus, Rfq, ShoppingList
from accord.commerce.services.quotes import quote_create_from_rfq
from accord.storefront.tests.conftest import STRONG, login_client, make_documents


@pytest.fixture
def buyer(make_customer, make_customer_user):
    return make_customer_user(make_customer("Acme"), email="bea@acme.example")


def test_openapi_schema_is_published(db):
    response = Client().get("/api/storefront/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/storefront/v1/me",
        "/api/storefront/v1/quotes/{pk}/accept",
        "/api/storefront/v1/orders",
    ):
        assert path in paths
    assert "/api/v1/customers" not in paths


def test_anonymous_calls_answer_401_in_the_error_shape(db):
    body = Client().get("/api/storefront/v1/me").json()
    assert body == {
        "status": 401,
        "code": "not_authenticated",
        "message": "Log in to the storefront first.",
        "errors": [],
    }


def test_writes_need_the_csrf_token(buyer):
    client = login_client(buyer, enforce_csrf_checks=True)
    assert client.get("/api/storefront/v1/shopping-lists").status_code == 200
    refused = client.post(
        "/api/storefront/v1/shopping-lists", data={"name": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert not ShoppingList.objects.exists()
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    ok = client.post(
        "/api/storefront/v1/shopping-lists",
        data={"name": "X"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 201


def test_me_shows_the_user_and_its_grants_and_edits_the_name(buyer, store_api):
    api = store_api(buyer)
    body = api.get("me").json()
    assert body["email"] == "bea@acme.example"
    assert body["customer_name"] == "Acme"
    assert "password" not in body
    assert body["grants"]["commerce.order"]["view"] == "corporate"
    assert body["grants"]["commerce.customer_user"]["view"] == "department"
    assert body["grants"]["commerce.customer_user_role"]["view"] == "none"
    assert api.patch("me", {"first_name": "Beatrix"}).json()["first_name"] == "Beatrix"
    bad = api.patch("me", {"last_name": ""}).json()
    assert bad["status"] == 422
    assert bad["errors"] == [{"field": "last_name", "message": "A last name is required."}]


def test_me_password_change(buyer, store_api):
    api = store_api(buyer)
    wrong = api.post("me/password", {"current_password": "nope", "password": "amber-meadow-compass-77"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    weak = api.post("me/password", {"current_password": STRONG, "password": "123"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    assert (
        api.post(
            "me/password", {"current_password": STRONG, "password": "amber-meadow-compass-77"}
        ).status_code
        == 204
    )
    assert api.get("me").status_code == 200


def test_shopping_list_endpoints(buyer, store_api, product):
    api = store_api(buyer)
    created = api.post("shopping-lists", {"name": "Office"})
    assert created.status_code == 201
    pk = created.json()["id"]
    item = api.post(f"shopping-lists/{pk}/items", {"product_id": product.pk, "quantity": "2.5"})
    assert item.status_code == 201
    assert item.json() == {
        "id": item.json()["id"],
        "product_id": product.pk,
        "sku": "PAPER-A4",
        "name": "Copy paper A4",
        "quantity": "2.5",
    }
    item_id = item.json()["id"]
    assert api.patch(f"shopping-lists/{pk}/items/{item_id}", {"quantity": 4}).json()["quantity"] == "4"
    bad = api.patch(f"shopping-lists/{pk}/items/{item_id}", {"quantity": 0})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "quantity"
    assert (
        api.post(f"shopping-lists/{pk}/items", {"product_id": 999999}).json()["errors"][0]["field"]
        == "product_id"
    )
    assert api.patch(f"shopping-lists/{pk}", {"name": "Office 2"}).json()["name"] == "Office 2"
    assert api.get(f"shopping-lists/{pk}").json()["items"][0]["quantity"] == "4"
    assert api.delete(f"shopping-lists/{pk}/items/{item_id}").status_code == 204
    assert api.delete(f"shopping-lists/{pk}").status_code == 204
    assert api.get(f"shopping-lists/{pk}").status_code == 404


def test_rfq_quote_accept_and_reorder_endpoints(buyer, store_api, product, owner):
    api = store_api(buyer)
    pk = api.post("shopping-lists", {"name": "Office"}).json()["id"]
    empty = api.post("rfqs", {"shopping_list_id": pk})
    assert empty.status_code == 422
    assert empty.json()["errors"][0]["field"] == "shopping_list_id"
    api.post(f"shopping-lists/{pk}/items", {"product_id": product.pk, "quantity": 10})
    rfq = api.post("rfqs", {"shopping_list_id": pk, "po_number": "PO-7", "note": "asap"})
    assert rfq.status_code == 201
    assert rfq.json()["status"] == "submitted"
    assert rfq.json()["lines"][0]["quantity"] == "10"
    assert api.get("rfqs").json()["count"] == 1
    quote = quote_create_from_rfq(rfq=Rfq.objects.get(), actor=owner)
    listed = api.get("quotes", rfq_id=rfq.json()["id"]).json()
    assert listed["count"] == 1
    assert listed["items"][0]["subtotal"] == {"amount": "49.00", "currency": "USD"}
    assert listed["items"][0]["lines"][0]["unit_price"] == {"amount": "4.90", "currency": "USD"}
    accepted = api.post(f"quotes/{quote.pk}/accept")
    assert accepted.status_code == 201
    order = accepted.json()
    assert order["total"] == {"amount": "49.00", "currency": "USD"}
    assert order["source_quote_id"] == quote.pk
    again = api.post(f"quotes/{quote.pk}/accept")
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert Order.objects.count() == 1
    assert api.get(f"quotes/{quote.pk}").json()["status"] == QuoteStatus.ACCEPTED
    assert api.get(f"orders/{order['id']}").json()["identifier"] == order["identifier"]
    reorder = api.post(f"orders/{order['id']}/reorder")
    assert reorder.status_code == 201
    assert reorder.json()["items"][0]["quantity"] == "10"


def test_list_conventions(buyer, store_api, product, owner):
    for n in range(3):
        make_documents(buyer, product, owner, str(n))
    api = store_api(buyer)
    page = api.get("orders", page=2, page_size=2, sort="id").json()
    assert page["count"] == 3
    assert len(page["items"]) == 1
    bad = api.get("orders", sort="owner")
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.sort"
    assert api.get("orders", page_size=500).status_code == 422


@pytest.mark.parametrize("resource", ["shopping-lists", "rfqs", "quotes", "orders", "customer-users"])
def test_api_lists_run_a_bounded_number_of_queries(
    resource, buyer, store_api, product, owner, make_customer_user
):
    """No N+1: more records (with lines) cost no extra query."""
    api = store_api(buyer)
    make_documents(buyer, product, owner, "first")

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert api.get(resource, page_size=200).status_code == 200
        return len(captured)

    few = count()
    for n in range(10):
        make_documents(buyer, product, owner, f"more-{n}")
        make_customer_user(buyer.customer)
    assert count() == few


def test_the_orders_page_writes_each_order_as_its_detail_does(
    buyer, store_api, product, other_product, owner
):
    """The list's rows are built without pydantic (decision 0084): the same JSON as the detail, which
    goes through `OrderOut`, for orders with discounts, fractional quantities, 4-decimal prices,
    payments and refunds, with and without lines of products."""
    from decimal import Decimal

    from accord.commerce.services.orders import order_create
    from accord.commerce.services.payments import order_payment_record, order_refund_record

    placed = []
    for n, (count, price, discount) in enumerate(
        [(1, None, "0"), ("2.5", "4.9050", "1.25"), ("12", "0.3333", "0")]
    ):
        lines = [{"product_id": product.pk, "quantity": count}]
        if price is not None:
            lines.append({"sku": f"FREE-{n}", "name": "Free line", "quantity": "3", "unit_price": price})
            lines.append({"product_id": other_product.pk, "quantity": "1.125"})
        placed.append(
            order_create(
                customer=buyer.customer,
                customer_user=buyer,
                lines=lines,
                currency="USD",
                po_number=f"PO-{n}",
                discount=discount,
                entry_point="console",
                actor=owner,
            )
        )
    order_payment_record(order=placed[1], amount=placed[1].total, actor=owner)
    order_refund_record(order=placed[1], amount=Decimal("1.10"), actor=owner)
    order_payment_record(order=placed[2], amount=Decimal("2.00"), actor=owner)
    api = store_api(buyer)

    page = api.get("orders", page_size=50).json()

    assert page["count"] == 3
    assert [item["id"] for item in page["items"]] == [order.pk for order in reversed(placed)]
    for item in page["items"]:
        assert item == api.get(f"orders/{item['id']}").json()
    assert page["items"][1]["refunded"] == {"amount": "1.10", "currency": "USD"}
    assert {line["quantity"] for line in page["items"][1]["lines"]} == {"2.5", "3", "1.125"}


def test_the_document_pages_write_each_document_as_its_detail_does(
    buyer, store_api, product, other_product, owner
):
    """Shopping lists, RFQs and quotes are built from columns too (decision 0087): each item equals its
    detail, for fractional quantities, 4-decimal prices and a sent quote past its last valid day."""
    import datetime as dt

    from django.utils import timezone

    from accord.commerce.models import Quote
    from accord.commerce.services.shopping_lists import shopping_list_item_add

    lapsed = make_documents(buyer, product, owner, "lapsed")["commerce.quote"]
    current = make_documents(buyer, product, owner, "current")
    shopping_list_item_add(
        shopping_list=current["commerce.shopping_list"], product=other_product, quantity="1.125", actor=buyer
    )
    Quote.objects.filter(pk=lapsed.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    Quote.objects.filter(pk=current["commerce.quote"].pk).update(valid_until=None)
    api = store_api(buyer)

    for resource in ("shopping-lists", "rfqs", "quotes"):
        page = api.get(resource, sort="id").json()
        assert page["count"] == 2
        for item in page["items"]:
            assert item == api.get(f"{resource}/{item['id']}").json()
    quotes = api.get("quotes", sort="id").json()["items"]
    assert [quote["status"] for quote in quotes] == ["expired", "sent"]
    lists = api.get("shopping-lists", sort="id").json()["items"]
    assert [(item["sku"], item["quantity"]) for item in lists[1]["items"]] == [
        ("PAPER-A4", "2"),
        ("PEN-BLUE", "1.125"),
    ]
