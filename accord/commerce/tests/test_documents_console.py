"""Console pages of documents: grids and view pages render, actions act (payment, refund, cancel,
quote from RFQ, send), field errors, ACL on the action pages, bounded query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from accord.commerce.models import Order, OrderPayment, Quote
from accord.commerce.services.quotes import quote_create_from_rfq, rfq_submit
from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
from accord.platform.models import AccessLevel


@pytest.fixture
def console(console_as, admin):
    return console_as(admin)


def _rfq(buyer, make_product):
    sl = shopping_list_create(customer_user=buyer, name="Weekly", actor=buyer)
    shopping_list_item_add(shopping_list=sl, product=make_product("4.00"), quantity=2, actor=buyer)
    return rfq_submit(shopping_list=sl, customer_user=buyer, po_number="PO-5", actor=buyer)


@pytest.mark.parametrize("name", ["orders", "quotes", "rfqs", "shopping_lists"])
def test_document_grids_render_and_export(console, name, buyer, place_order, make_product, admin):
    quote_create_from_rfq(rfq=_rfq(buyer, make_product), actor=admin)
    place_order(buyer, po_number="PO-LIST")
    assert console.get(reverse(f"console:{name}_list")).status_code == 200
    assert console.get(reverse(f"console:{name}_list"), {"export": "csv"}).status_code == 200


def test_sales_menu_lists_the_documents(console):
    html = console.get(reverse("console:dashboard")).content.decode()
    for name in ("rfqs", "quotes", "orders", "shopping_lists"):
        assert reverse(f"console:{name}_list") in html


def test_order_grid_searches_identifier_and_po_number(console, buyer, place_order):
    a = place_order(buyer, po_number="PO-ALPHA")
    b = place_order(buyer, po_number="PO-BETA")
    html = console.get(reverse("console:orders_list"), {"q": "alpha"}).content.decode()
    assert a.identifier in html
    assert b.identifier not in html
    html = console.get(reverse("console:orders_list"), {"q": b.identifier}).content.decode()
    assert b.identifier in html


def test_order_view_shows_lines_payments_refunds_and_buttons(console, buyer, place_order, admin):
    order = place_order(buyer, "40.00")
    page = console.get(reverse("console:orders_view", args=[order.pk])).content.decode()
    for text in ("Record payment", "Cancel", "Lines", "Payments", "Refunds", "40.00 USD"):
        assert text in page
    assert "Record refund" not in page  # nothing paid yet
    url = reverse("console:orders_payment", args=[order.pk])
    assert console.get(url).status_code == 200
    too_much = console.post(url, {"amount": "40.01"})
    assert too_much.status_code == 400
    assert "amount" in too_much.context["form"].errors
    assert console.post(url, {"amount": "25"}).status_code == 302
    refund = console.post(reverse("console:orders_refund", args=[order.pk]), {"amount": "5"})
    assert refund.status_code == 302
    order.refresh_from_db()
    assert (order.paid_amount, order.refunded_amount, order.payment_status) == (
        Decimal("25"),
        Decimal("5"),
        "partially_refunded",
    )
    page = console.get(reverse("console:orders_view", args=[order.pk])).content.decode()
    assert "25.00 USD" in page
    assert "Record refund" in page
    assert console.post(reverse("console:orders_cancel", args=[order.pk])).status_code == 302
    order.refresh_from_db()
    assert order.internal_status == "cancelled"
    page = console.get(reverse("console:orders_view", args=[order.pk])).content.decode()
    assert "Record payment" not in page


def test_order_edit_moves_and_sets_status_with_field_errors(console, buyer, place_order, make_customer):
    order = place_order(buyer)
    other = make_customer("Other Co")
    url = reverse("console:orders_edit", args=[order.pk])
    assert console.get(url).status_code == 200
    bad = console.post(url, {"customer": other.pk, "internal_status": "closed"})
    assert bad.status_code == 302  # open -> closed is allowed
    wrong = console.post(url, {"customer": other.pk, "internal_status": "open"})
    assert wrong.status_code == 400
    assert "internal_status" in wrong.context["form"].errors or wrong.context["form"].non_field_errors()
    order.refresh_from_db()
    assert (order.customer_id, order.internal_status) == (other.pk, "closed")


def test_rfq_view_creates_a_quote_and_the_quote_view_shows_it(console, buyer, make_product):
    rfq = _rfq(buyer, make_product)
    page = console.get(reverse("console:rfqs_view", args=[rfq.pk])).content.decode()
    assert "Create quote" in page
    assert "PO-5" in page
    line = rfq.lines.get()
    url = reverse("console:rfqs_quote", args=[rfq.pk])
    assert console.get(url).status_code == 200
    bad = console.post(url, {f"price_{line.pk}": "-1", "send": "on"})
    assert bad.status_code == 400
    assert f"price_{line.pk}" in bad.context["form"].errors
    done = console.post(url, {f"price_{line.pk}": "3.75", "send": "on"})
    quote = Quote.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("console:quotes_view", args=[quote.pk])
    page = console.get(done["Location"]).content.decode()
    for text in ("Sent", "7.50 USD", "3.75 USD", line.sku):
        assert text in page


def test_a_draft_quote_is_sent_from_its_page(console, buyer, make_product, admin):
    quote = quote_create_from_rfq(rfq=_rfq(buyer, make_product), actor=admin, send=False)
    page = console.get(reverse("console:quotes_view", args=[quote.pk])).content.decode()
    assert "Send to the buyer" in page
    assert console.post(reverse("console:quotes_send", args=[quote.pk])).status_code == 302
    quote.refresh_from_db()
    assert quote.status == "sent"


def test_shopping_list_view_and_delete(console, buyer, make_product):
    sl = shopping_list_create(customer_user=buyer, name="Weekly", actor=buyer)
    product = make_product("4.00")
    shopping_list_item_add(shopping_list=sl, product=product, quantity=2, actor=buyer)
    page = console.get(reverse("console:shopping_lists_view", args=[sl.pk])).content.decode()
    assert product.sku in page
    assert "Weekly" in page
    assert console.post(reverse("console:shopping_lists_delete", args=[sl.pk])).status_code == 302
    assert not type(sl).objects.exists()


def test_action_pages_are_404_outside_the_grant_and_403_without_edit(
    console_as, make_user, tree, buyer, place_order
):
    mine = place_order(buyer, owner=make_user("owner1", unit=tree.sales))
    other = place_order(buyer)
    viewer = make_user(
        "viewer", unit=tree.sales, grants={"commerce.order": {"view": AccessLevel.BUSINESS_UNIT}}
    )
    client = console_as(viewer)
    assert client.get(reverse("console:orders_view", args=[mine.pk])).status_code == 200
    assert client.get(reverse("console:orders_view", args=[other.pk])).status_code == 404
    page = client.get(reverse("console:orders_view", args=[mine.pk])).content.decode()
    assert "Record payment" not in page
    for name in ("orders_payment", "orders_refund", "orders_cancel"):
        assert client.post(reverse(f"console:{name}", args=[mine.pk]), {"amount": "1"}).status_code == 403
    assert (
        client.post(reverse("console:orders_edit", args=[mine.pk]), {"internal_status": "closed"}).status_code
        == 403
    )
    assert client.post(reverse("console:orders_delete", args=[mine.pk])).status_code == 403
    assert not OrderPayment.objects.exists()
    assert set(Order.objects.values_list("internal_status", flat=True)) == {"open"}
    assert Order.objects.count() == 2


def test_creating_a_quote_needs_the_quote_create_grant(console_as, make_user, tree, buyer, make_product):
    rfq = _rfq(buyer, make_product)
    looker = make_user("looker", grants={"commerce.rfq": {"view": AccessLevel.ORGANIZATION}})
    client = console_as(looker)
    page = client.get(reverse("console:rfqs_view", args=[rfq.pk])).content.decode()
    assert "Create quote" not in page
    assert client.post(reverse("console:rfqs_quote", args=[rfq.pk]), {"send": "on"}).status_code == 403
    stranger = make_user("stranger", unit=tree.other_main, roles=["commerce_manager"])
    assert console_as(stranger).get(reverse("console:rfqs_quote", args=[rfq.pk])).status_code == 404
    assert not Quote.objects.exists()


def test_order_view_and_grid_query_counts_do_not_grow(
    console, buyer, make_product, admin, django_assert_max_num_queries
):
    from accord.commerce.services.orders import order_create
    from accord.commerce.services.payments import order_payment_record

    products = [make_product() for _ in range(2)]

    def place(n: int, lines: int) -> Order:
        for _ in range(n):
            order = order_create(
                customer=buyer.customer,
                customer_user=buyer,
                lines=[{"product": products[i % 2], "quantity": 1} for i in range(lines)],
                currency="USD",
                entry_point="demo",
                actor=admin,
            )
            for _ in range(lines):
                order_payment_record(order=order, amount="1", actor=admin)
        return order

    small = place(1, 2)
    console.get(reverse("console:orders_view", args=[small.pk]))
    with django_assert_max_num_queries(40) as captured:
        console.get(reverse("console:orders_view", args=[small.pk]))
    budget = len(captured.captured_queries)
    big = place(1, 12)
    with django_assert_max_num_queries(budget):
        console.get(reverse("console:orders_view", args=[big.pk]))
    with django_assert_max_num_queries(40) as captured:
        console.get(reverse("console:orders_list"))
    budget = len(captured.captured_queries)
    place(15, 1)
    with django_assert_max_num_queries(budget):
        console.get(reverse("console:orders_list"))


def test_new_order_form_places_an_order_and_shows_line_errors(console, buyer, make_product, admin):
    product = make_product("12.00")
    url = reverse("console:orders_create")
    assert console.get(url).status_code == 200
    assert url in console.get(reverse("console:orders_list")).content.decode()
    base = {"customer": buyer.customer_id, "customer_user": buyer.pk, "currency": "USD", "po_number": "PO-C"}
    bad = console.post(url, {**base, "line_1_product": product.pk, "line_1_quantity": "0"})
    assert bad.status_code == 400
    assert "line_1_quantity" in bad.context["form"].errors
    empty = console.post(url, base)
    assert empty.status_code == 400
    assert "line_0_product" in empty.context["form"].errors
    orphan = console.post(url, {**base, "line_2_quantity": "3"})
    assert "line_2_product" in orphan.context["form"].errors
    assert not Order.objects.exists()
    done = console.post(url, {**base, "line_0_product": product.pk, "line_0_quantity": "2", "discount": "4"})
    order = Order.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("console:orders_view", args=[order.pk])
    assert (order.total, order.entry_point, order.owner_id) == (Decimal("20.00"), "console", admin.pk)
