"""Document API: shopping lists, RFQs → quotes, orders with payments/refunds/cancel; shapes,
201/4xx with field paths, 404 outside the ACL, bounded query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from accord.commerce.models import Order, OrderPayment, Quote, ShoppingList
from accord.platform.models import AccessLevel


@pytest.fixture
def api(api_as, admin):
    return api_as(admin)


def _order_payload(buyer, product, **extra):
    return {
        "customer_id": buyer.customer_id,
        "customer_user_id": buyer.pk,
        "currency": "USD",
        "po_number": "PO-9",
        "discount": {"amount": "2.00", "currency": "USD"},
        "lines": [
            {"product_id": product.pk, "quantity": "3"},
            {"sku": "X-1", "quantity": 1, "unit_price": {"amount": "0.5", "currency": "USD"}},
        ],
        **extra,
    }


def test_order_create_shape_and_money(api, buyer, make_product, admin):
    product = make_product("10.00")
    response = api.post("orders", _order_payload(buyer, product))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["identifier"] == f"SO-{body['id']:06d}"
    assert body["subtotal"] == {"amount": "30.50", "currency": "USD"}
    assert body["discount"] == {"amount": "2.00", "currency": "USD"}
    assert body["total"] == {"amount": "28.50", "currency": "USD"}
    assert body["outstanding"] == {"amount": "28.50", "currency": "USD"}
    assert (body["internal_status"], body["payment_status"], body["owner_id"]) == (
        "open",
        "pending",
        admin.pk,
    )
    assert body["lines"][0] == {
        "id": body["lines"][0]["id"],
        "product_id": product.pk,
        "sku": product.sku,
        "name": product.name,
        "quantity": "3",
        "unit_price": {"amount": "10.00", "currency": "USD"},
        "total": {"amount": "30.00", "currency": "USD"},
    }
    assert api.get(f"orders/{body['id']}").json() == body
    assert api.get("orders", q="PO-9").json()["count"] == 1
    assert api.get("orders", q=body["identifier"]).json()["count"] == 1
    assert api.get("orders", q="nothing").json()["count"] == 0
    assert api.get(f"orders/{body['id']}/history").status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": []}, "lines"),
        ({"lines": [{"product_id": 999999, "quantity": 1}]}, "lines.0.product_id"),
        (
            {"lines": [{"sku": "A", "quantity": "0", "unit_price": {"amount": "1", "currency": "USD"}}]},
            "lines.0.quantity",
        ),
        (
            {"lines": [{"sku": "A", "quantity": 1, "unit_price": {"amount": "1", "currency": "EUR"}}]},
            "lines.0.unit_price.currency",
        ),
        ({"discount": {"amount": "1", "currency": "EUR"}}, "discount.currency"),
        ({"discount": {"amount": "1000", "currency": "USD"}}, "discount"),
        ({"currency": "ZZZ"}, "currency"),
        ({"customer_id": 999999}, "customer_id"),
        ({"customer_user_id": 999999}, "customer_user_id"),
    ],
)
def test_order_create_refusals_carry_the_field_path(api, buyer, make_product, change, field):
    response = api.post("orders", _order_payload(buyer, make_product("10.00"), **change))
    assert response.status_code == 422, response.json()
    assert field in {e["field"] for e in response.json()["errors"]}
    assert not Order.objects.exists()


def test_payments_refunds_and_cancel(api, buyer, place_order):
    order = place_order(buyer, "50.00")
    paid = api.post(f"orders/{order.pk}/payments", {"amount": "20"})
    assert paid.status_code == 201, paid.json()
    assert paid.json()["amount"] == {"amount": "20.00", "currency": "USD"}
    assert paid.json()["base_amount"] == {"amount": "20.00", "currency": "USD"}
    too_much = api.post(f"orders/{order.pk}/payments", {"amount": "30.01"})
    assert too_much.status_code == 422
    assert too_much.json()["errors"][0]["field"] == "amount"
    refund = api.post(f"orders/{order.pk}/refunds", {"amount": "5"})
    assert refund.status_code == 201
    assert api.post(f"orders/{order.pk}/refunds", {"amount": "15.01"}).status_code == 422
    body = api.get(f"orders/{order.pk}").json()
    assert (body["paid"]["amount"], body["refunded"]["amount"], body["payment_status"]) == (
        "20.00",
        "5.00",
        "partially_refunded",
    )
    assert [p["amount"]["amount"] for p in api.get(f"orders/{order.pk}/payments").json()] == ["20.00"]
    assert [p["amount"]["amount"] for p in api.get(f"orders/{order.pk}/refunds").json()] == ["5.00"]
    cancelled = api.post(f"orders/{order.pk}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json()["internal_status"] == "cancelled"
    again = api.post(f"orders/{order.pk}/cancel")
    assert again.status_code == 409
    assert api.post(f"orders/{order.pk}/payments", {"amount": "1"}).status_code == 409
    assert api.post(f"orders/{order.pk}/payments", {"amount": "abc"}).status_code == 422


def test_order_patch_moves_and_sets_status_and_delete(api, buyer, place_order, make_customer):
    order = place_order(buyer)
    other = make_customer("Other")
    moved = api.patch(f"orders/{order.pk}", {"customer_id": other.pk, "internal_status": "processing"})
    assert moved.status_code == 200, moved.json()
    assert (
        moved.json()["customer_id"],
        moved.json()["customer_user_id"],
        moved.json()["internal_status"],
    ) == (
        other.pk,
        None,
        "processing",
    )
    wrong = api.patch(f"orders/{order.pk}", {"internal_status": "bogus"})
    assert wrong.status_code == 422
    assert api.delete(f"orders/{order.pk}").status_code == 204
    assert api.get(f"orders/{order.pk}").status_code == 404


def test_shopping_list_rfq_quote_flow(api, buyer, make_product, admin):
    product = make_product("4.00")
    created = api.post("shopping-lists", {"customer_user_id": buyer.pk, "name": "Office"})
    assert created.status_code == 201, created.json()
    sl = created.json()
    assert (sl["customer_id"], sl["customer_user_id"], sl["lines"]) == (buyer.customer_id, buyer.pk, [])
    added = api.post(f"shopping-lists/{sl['id']}/lines", {"product_id": product.pk, "quantity": "2"})
    assert added.status_code == 201
    line = added.json()["lines"][0]
    assert (line["quantity"], line["unit_price"]) == ("2", {"amount": "4.00", "currency": "USD"})
    assert (
        api.post(f"shopping-lists/{sl['id']}/lines", {"product_id": product.pk, "quantity": "0"}).status_code
        == 422
    )
    assert (
        api.patch(f"shopping-lists/{sl['id']}/lines/{line['id']}", {"quantity": "5"}).json()["lines"][0][
            "quantity"
        ]
        == "5"
    )
    assert api.patch(f"shopping-lists/{sl['id']}", {"name": "Renamed"}).json()["name"] == "Renamed"
    rfq = api.post("rfqs", {"shopping_list_id": sl["id"], "po_number": "PO-1"})
    assert rfq.status_code == 201, rfq.json()
    rfq_line = rfq.json()["lines"][0]
    assert rfq_line["target_price"] == {"amount": "4.00", "currency": "USD"}
    bad = api.post(f"rfqs/{rfq.json()['id']}/quote", {"prices": {"999999": "1"}})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "prices.999999"
    quote = api.post(f"rfqs/{rfq.json()['id']}/quote", {"prices": {str(rfq_line["id"]): "3.5"}})
    assert quote.status_code == 201, quote.json()
    body = quote.json()
    assert (body["status"], body["subtotal"], body["rfq_id"]) == (
        "sent",
        {"amount": "17.50", "currency": "USD"},
        rfq.json()["id"],
    )
    assert body["lines"][0]["unit_price"] == {"amount": "3.50", "currency": "USD"}
    assert api.get(f"rfqs/{rfq.json()['id']}").json()["status"] == "quoted"
    assert api.get("quotes", rfq_id=rfq.json()["id"]).json()["count"] == 1
    assert api.post(f"quotes/{body['id']}/send").status_code == 409
    assert api.delete(f"shopping-lists/{sl['id']}/lines/{line['id']}").status_code == 204
    assert api.delete(f"shopping-lists/{sl['id']}").status_code == 204


def test_documents_outside_the_view_grant_are_404_and_unchangeable_ones_403(
    api_as, make_user, tree, buyer, place_order, make_customer_user
):
    mine_owner = make_user("owner1", unit=tree.sales)
    mine = place_order(buyer, owner=mine_owner)
    other = place_order(buyer)  # the admin's, in Main
    viewer = make_user(
        "viewer", unit=tree.sales, grants={"commerce.order": {"view": AccessLevel.BUSINESS_UNIT}}
    )
    client = api_as(viewer)
    assert {i["id"] for i in client.get("orders").json()["items"]} == {mine.pk}
    for path in (f"orders/{other.pk}", f"orders/{other.pk}/payments", f"orders/{other.pk}/history"):
        assert client.get(path).status_code == 404
    assert client.post(f"orders/{other.pk}/payments", {"amount": "1"}).status_code == 404
    assert client.post(f"orders/{other.pk}/cancel").status_code == 404
    assert client.post(f"orders/{mine.pk}/payments", {"amount": "1"}).status_code == 403
    assert client.post(f"orders/{mine.pk}/refunds", {"amount": "1"}).status_code == 403
    assert client.post(f"orders/{mine.pk}/cancel").status_code == 403
    assert client.delete(f"orders/{mine.pk}").status_code == 403
    assert client.post("orders", {"customer_id": 1, "currency": "USD", "lines": []}).status_code == 403
    assert not OrderPayment.objects.exists()
    assert set(Order.objects.values_list("internal_status", flat=True)) == {"open"}
    assert client.get("shopping-lists").json()["count"] == 0
    assert client.post("shopping-lists", {"customer_user_id": buyer.pk, "name": "x"}).status_code == 403
    assert not ShoppingList.objects.exists()


def test_a_sales_rep_can_answer_an_rfq_with_a_quote(api_as, api, make_user, tree, buyer, make_product):
    rep = make_user("rep", unit=tree.main, roles=["sales_rep"])
    sl = api.post("shopping-lists", {"customer_user_id": buyer.pk, "name": "L"}).json()
    api.post(f"shopping-lists/{sl['id']}/lines", {"product_id": make_product().pk, "quantity": 1})
    rfq = api.post("rfqs", {"shopping_list_id": sl["id"]}).json()
    client = api_as(rep)
    assert client.get(f"rfqs/{rfq['id']}").status_code == 200
    assert client.post(f"rfqs/{rfq['id']}/quote", {}).status_code == 201
    assert (
        client.post("orders", {"customer_id": buyer.customer_id, "currency": "USD", "lines": []}).status_code
        == 403
    )
    outsider = make_user("outsider", unit=tree.other_main, roles=["sales_rep"])
    assert api_as(outsider).post(f"rfqs/{rfq['id']}/quote", {}).status_code == 404
    assert Quote.objects.count() == 1


def test_order_list_and_get_query_counts_do_not_grow(
    api, buyer, make_product, admin, django_assert_max_num_queries
):
    from accord.commerce.services.orders import order_create

    products = [make_product() for _ in range(3)]

    def place(n: int) -> None:
        for _ in range(n):
            order_create(
                customer=buyer.customer,
                customer_user=buyer,
                lines=[{"product": p, "quantity": 2} for p in products],
                currency="USD",
                entry_point="demo",
                actor=admin,
            )

    place(2)
    api.get("orders")  # warm the token paths
    with django_assert_max_num_queries(8) as small:
        assert api.get("orders").json()["count"] == 2
    place(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert api.get("orders").json()["count"] == 22
    last = Order.objects.order_by("-pk").first()
    with django_assert_max_num_queries(8):
        assert len(api.get(f"orders/{last.pk}").json()["lines"]) == 3
    assert last.total == Decimal("60.00")
