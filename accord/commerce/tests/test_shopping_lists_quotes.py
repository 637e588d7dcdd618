"""Shopping lists, RFQs and quotes: each rule and each refusal of their services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accord.commerce.models import (
    Order,
    Quote,
    QuoteStatus,
    RfqStatus,
    ShoppingList,
    ShoppingListLine,
)
from accord.commerce.models.documents import quote_status_q
from accord.commerce.services.products import product_delete, product_update
from accord.commerce.services.quotes import (
    quote_accept,
    quote_create_from_rfq,
    quote_send,
    rfq_cancel,
    rfq_submit,
)
from accord.commerce.services.shopping_lists import (
    shopping_list_create,
    shopping_list_delete,
    shopping_list_item_add,
    shopping_list_item_remove,
    shopping_list_item_set_quantity,
    shopping_list_rename,
)
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import AuditEntry


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return set(exc.value.field_errors)


def test_shopping_list_belongs_to_the_customer_user_and_its_customer(buyer):
    sl = shopping_list_create(customer_user=buyer, name="  Weekly  ", actor=buyer)
    assert (sl.name, sl.customer_id, sl.customer_user_id) == ("Weekly", buyer.customer_id, buyer.pk)
    # owned, for the console ACL, by the customer's owner
    assert (sl.owner_id, sl.organization_id) == (buyer.customer.owner_id, buyer.customer.organization_id)
    entry = AuditEntry.objects.get(entity="commerce.shopping_list", object_id=str(sl.pk))
    assert entry.actor is None
    assert f"customer user #{buyer.pk}" in entry.actor_label


def test_shopping_list_needs_a_name(buyer):
    with pytest.raises(ValidationFailed) as exc:
        shopping_list_create(customer_user=buyer, name=" ", actor=buyer)
    assert _fields(exc) == {"name"}
    sl = shopping_list_create(customer_user=buyer, name="A", actor=None)
    with pytest.raises(ValidationFailed):
        shopping_list_rename(shopping_list=sl, name="x" * 256, actor=buyer)
    assert shopping_list_rename(shopping_list=sl, name="B", actor=buyer).name == "B"


def test_adding_a_product_twice_adds_to_its_line(buyer, make_product):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    product = make_product()
    first = shopping_list_item_add(shopping_list=sl, product=product, quantity=2, actor=buyer)
    second = shopping_list_item_add(shopping_list=sl, product=product, quantity="1.5", actor=buyer)
    assert first.pk == second.pk
    assert ShoppingListLine.objects.get(pk=first.pk).quantity == Decimal("3.5")
    assert sl.lines.count() == 1
    history = AuditEntry.objects.filter(
        entity="commerce.shopping_list", object_id=str(sl.pk), action="update"
    )
    assert [e.changes[f"lines.{product.sku}"]["new"] for e in history.order_by("id")] == ["2", "3.5"]


@pytest.mark.parametrize("quantity", [0, -1, "abc", "1.2345", "1e12", "NaN"])
def test_bad_quantities_are_refused_on_the_quantity_field(buyer, make_product, quantity):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    with pytest.raises(ValidationFailed) as exc:
        shopping_list_item_add(shopping_list=sl, product=make_product(), quantity=quantity, actor=buyer)
    assert _fields(exc) == {"quantity"}
    assert not sl.lines.exists()


def test_disabled_or_foreign_products_cannot_be_added(buyer, make_product, admin):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    product = make_product()
    product = product_update(product=product, status="disabled", actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        shopping_list_item_add(shopping_list=sl, product=product, quantity=1, actor=buyer)
    assert _fields(exc) == {"product_id"}
    product.organization_id = admin.organization_id + 1000
    with pytest.raises(ValidationFailed):
        shopping_list_item_add(shopping_list=sl, product=product, quantity=1, actor=buyer)


def test_set_quantity_and_remove_a_line(buyer, make_product):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    line = shopping_list_item_add(shopping_list=sl, product=make_product(), quantity=1, actor=buyer)
    assert shopping_list_item_set_quantity(item=line, quantity=7, actor=buyer).quantity == 7
    with pytest.raises(ValidationFailed):
        shopping_list_item_set_quantity(item=line, quantity=0, actor=buyer)
    shopping_list_item_remove(item=line, actor=buyer)
    assert not sl.lines.exists()


def test_deleting_a_list_keeps_the_rfqs_made_from_it(buyer, make_product):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    shopping_list_item_add(shopping_list=sl, product=make_product(), quantity=1, actor=buyer)
    rfq = rfq_submit(shopping_list=sl, customer_user=buyer, actor=buyer)
    shopping_list_delete(shopping_list=sl, actor=buyer)
    rfq.refresh_from_db()
    assert rfq.shopping_list_id is None
    assert rfq.lines.count() == 1


def _rfq(buyer, make_product, prices=("10.00", "2.50"), currency="USD"):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    for n, price in enumerate(prices, start=1):
        shopping_list_item_add(
            shopping_list=sl, product=make_product(price, currency), quantity=n, actor=buyer
        )
    return rfq_submit(shopping_list=sl, customer_user=buyer, po_number=" PO-1 ", note="asap", actor=buyer)


def test_rfq_copies_the_lines_of_the_list(buyer, make_product):
    rfq = _rfq(buyer, make_product)
    assert (rfq.status, rfq.po_number, rfq.customer_id, rfq.customer_user_id) == (
        RfqStatus.SUBMITTED,
        "PO-1",
        buyer.customer_id,
        buyer.pk,
    )
    lines = list(rfq.lines.order_by("id"))
    assert [(line.quantity, line.target_price, line.currency) for line in lines] == [
        (1, Decimal("10.00"), "USD"),
        (2, Decimal("2.50"), "USD"),
    ]
    assert lines[0].sku == lines[0].product.sku


def test_an_empty_list_cannot_be_submitted(buyer):
    sl = shopping_list_create(customer_user=buyer, name="L", actor=buyer)
    with pytest.raises(ValidationFailed) as exc:
        rfq_submit(shopping_list=sl, customer_user=buyer, actor=buyer)
    assert _fields(exc) == {"shopping_list_id"}


def test_quote_from_rfq_takes_given_prices_and_product_prices(buyer, make_product, admin):
    rfq = _rfq(buyer, make_product)
    first, second = rfq.lines.order_by("id")
    until = timezone.localdate() + dt.timedelta(days=10)
    quote = quote_create_from_rfq(rfq=rfq, actor=admin, prices={first.pk: Decimal("9.00")}, valid_until=until)
    assert (quote.status, quote.currency, quote.valid_until, quote.created_by_id) == (
        "sent",
        "USD",
        until,
        admin.pk,
    )
    assert [line.unit_price for line in quote.lines.order_by("id")] == [Decimal("9.00"), Decimal("2.50")]
    assert quote.subtotal == Decimal("14.00")  # 1 × 9.00 + 2 × 2.50
    assert (quote.owner_id, quote.customer_user_id) == (admin.pk, buyer.pk)
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.QUOTED


def test_quote_refusals_name_the_field(buyer, make_product, admin):
    rfq = _rfq(buyer, make_product)
    line = rfq.lines.first()
    with pytest.raises(ValidationFailed) as exc:
        quote_create_from_rfq(rfq=rfq, actor=admin, prices={999999: "1"})
    assert _fields(exc) == {"prices.999999"}
    with pytest.raises(ValidationFailed) as exc:
        quote_create_from_rfq(rfq=rfq, actor=admin, prices={line.pk: "-1"})
    assert _fields(exc) == {f"prices.{line.pk}"}
    with pytest.raises(ValidationFailed) as exc:
        quote_create_from_rfq(rfq=rfq, actor=admin, valid_until=timezone.localdate() - dt.timedelta(days=1))
    assert _fields(exc) == {"valid_until"}
    with pytest.raises(ValidationFailed) as exc:  # EUR quote of USD products: every price is needed
        quote_create_from_rfq(rfq=rfq, actor=admin, currency="EUR", prices={line.pk: "1"})
    assert len(_fields(exc)) == 1
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.SUBMITTED
    assert not rfq.quotes.exists()
    rfq_cancel(rfq=rfq, actor=admin)
    with pytest.raises(Conflict):
        quote_create_from_rfq(rfq=rfq, actor=admin)


def test_accepting_a_quote_places_an_order_with_its_prices(buyer, make_product, admin):
    rfq = _rfq(buyer, make_product)
    quote = quote_create_from_rfq(rfq=rfq, actor=admin)
    order = quote_accept(quote=quote, customer_user=buyer, actor=buyer)
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    assert quote.accepted_at is not None
    assert (order.source_quote_id, order.customer_id, order.customer_user_id) == (
        quote.pk,
        buyer.customer_id,
        buyer.pk,
    )
    assert (order.subtotal, order.total, order.currency, order.po_number) == (
        Decimal("15.00"),
        Decimal("15.00"),
        "USD",
        "PO-1",
    )
    assert order.owner_id == admin.pk  # the sales rep who made the quote
    assert [(line.sku, line.unit_price) for line in order.lines.order_by("id")] == [
        (line.sku, line.unit_price) for line in quote.lines.order_by("id")
    ]
    with pytest.raises(Conflict, match="already been accepted"):
        quote_accept(quote=quote, customer_user=buyer, actor=buyer)
    assert Order.objects.count() == 1


def test_expired_and_draft_quotes_cannot_be_accepted(buyer, make_product, admin):
    rfq = _rfq(buyer, make_product)
    quote = quote_create_from_rfq(rfq=rfq, actor=admin, valid_until=timezone.localdate())
    type(quote).objects.filter(pk=quote.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    quote.refresh_from_db()
    assert quote.effective_status == QuoteStatus.EXPIRED
    assert list(Quote.objects.filter(quote_status_q("expired"))) == [quote]
    assert not Quote.objects.filter(quote_status_q("sent")).exists()
    with pytest.raises(Conflict, match="expired"):
        quote_accept(quote=quote, customer_user=buyer, actor=buyer)
    draft = quote_create_from_rfq(rfq=rfq, actor=admin, send=False)
    with pytest.raises(Conflict, match="not been sent"):
        quote_accept(quote=draft, customer_user=buyer, actor=buyer)
    quote_send(quote=draft, actor=admin)
    with pytest.raises(Conflict):
        quote_send(quote=draft, actor=admin)
    assert quote_accept(quote=draft, customer_user=buyer, actor=buyer).pk
    assert Order.objects.count() == 1


def test_a_user_of_another_customer_cannot_accept(
    buyer, make_product, admin, make_customer, make_customer_user
):
    quote = quote_create_from_rfq(rfq=_rfq(buyer, make_product), actor=admin)
    stranger = make_customer_user(make_customer("Other"))
    with pytest.raises(ValidationFailed) as exc:
        quote_accept(quote=quote, customer_user=stranger, actor=stranger)
    assert _fields(exc) == {"customer_user_id"}
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.SENT
    assert not Order.objects.exists()


def test_documents_outlive_their_products(buyer, make_product, admin):
    rfq = _rfq(buyer, make_product, prices=("5.00",))
    quote = quote_create_from_rfq(rfq=rfq, actor=admin)
    line = rfq.lines.get()
    sku = line.sku
    product_delete(product=line.product, actor=admin)
    assert rfq.lines.get().product_id is None
    assert rfq.lines.get().sku == sku
    assert quote.lines.get().product_id is None
    assert not ShoppingListLine.objects.exists()
    assert ShoppingList.objects.count() == 1
