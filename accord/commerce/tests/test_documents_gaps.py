"""Gaps in the document services and faces: who may accept a quote or submit an RFQ for whom
(storefront levels, decision 0035), deleting quotes (0036) and editing the lines of an order (0037)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from accord.commerce import signals
from accord.commerce.models import (
    InternalStatus,
    Order,
    OrderLine,
    PaymentStatus,
    Quote,
    QuoteStatus,
    Rfq,
    RfqStatus,
    StorefrontLevel,
)
from accord.commerce.services.customer_users import customer_user_update
from accord.commerce.services.order_lines import order_line_add, order_line_change, order_line_remove
from accord.commerce.services.orders import order_status_set
from accord.commerce.services.payments import order_cancel, order_payment_record, order_refund_record
from accord.commerce.services.products import product_update
from accord.commerce.services.quotes import quote_accept, quote_create_from_rfq, quote_delete, rfq_submit
from accord.commerce.services.roles import customer_user_role_create
from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import AccessLevel, AuditEntry

NONE, USER, DEPT, CORP = (int(level) for level in StorefrontLevel)
ALL = ("view", "create", "edit", "delete")


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> set[str]:
    return set(exc.value.field_errors)


@pytest.fixture
def family(make_customer, make_customer_user):
    """parent > acme > child, parent > sibling; a Buyer (Corporate on documents) at each, a colleague."""
    parent = make_customer("Parent")
    acme = make_customer("Acme", parent)
    child = make_customer("Child", acme)
    sibling = make_customer("Sibling", parent)
    places = {"parent": parent, "acme": acme, "child": child, "sibling": sibling}
    users = {place: make_customer_user(customer) for place, customer in places.items()}
    users["colleague"] = make_customer_user(acme)
    return SimpleNamespace(customers=places, users=users)


@pytest.fixture
def with_levels(admin):
    """Give a customer user one role of its customer with these levels ({entity: level} for all actions)."""

    def give(user, levels):
        grants = {key: dict.fromkeys(ALL, level) for key, level in levels.items()}
        role = customer_user_role_create(
            label=f"Role of {user.pk} {len(grants)}", customer=user.customer, grants=grants, actor=admin
        )
        return customer_user_update(customer_user=user, roles=[role], actor=admin)

    return give


def _list(owner, product, quantity=2):
    sl = shopping_list_create(customer_user=owner, name=f"List of {owner.pk}", actor=owner)
    shopping_list_item_add(shopping_list=sl, product=product, quantity=quantity, actor=owner)
    return sl


def _quote(owner, product, admin, **kwargs):
    rfq = rfq_submit(shopping_list=_list(owner, product), customer_user=owner, actor=owner)
    return quote_create_from_rfq(rfq=rfq, actor=admin, **kwargs)


# --- quote_accept: the storefront levels (0035) -------------------------------------------------------
def test_a_corporate_parent_buyer_accepts_a_childs_quote_for_the_child(family, make_product, admin):
    quote = _quote(family.users["child"], make_product("5.00"), admin)
    parent_buyer = family.users["acme"]  # predefined Buyer: Corporate on quotes
    order = quote_accept(quote=quote, customer_user=parent_buyer, actor=parent_buyer)
    assert (order.customer_id, order.customer_user_id) == (
        family.customers["child"].pk,
        family.users["child"].pk,
    )
    assert order.total == Decimal("10.00")
    quote.refresh_from_db()
    assert quote.status == QuoteStatus.ACCEPTED
    entry = AuditEntry.objects.get(entity="commerce.quote", object_id=str(quote.pk), action="update")
    assert f"customer user #{parent_buyer.pk}" in entry.actor_label
    assert f"customer user #{parent_buyer.pk}" in entry.changes["accepted_by"]["new"]
    placed = AuditEntry.objects.get(entity="commerce.order", object_id=str(order.pk))
    assert f"customer user #{parent_buyer.pk}" in placed.actor_label
    # two levels down too (the grandparent's buyer), and for a quote whose own user is gone: none
    second = _quote(family.users["child"], make_product("1.00"), admin)
    Quote.objects.filter(pk=second.pk).update(customer_user=None)
    order = quote_accept(quote=second, customer_user=family.users["parent"], actor=family.users["parent"])
    assert (order.customer_id, order.customer_user_id) == (family.customers["child"].pk, None)


@pytest.mark.parametrize(
    ("who", "whose", "levels"),
    [
        ("sibling", "acme", None),  # Corporate, but sideways
        ("child", "acme", None),  # Corporate, but upwards
        ("acme", "child", {"commerce.quote": DEPT}),  # the parent at Department level
        ("colleague", "acme", {"commerce.quote": USER}),  # a colleague's quote at User level
        ("acme", "acme", {"commerce.quote": NONE}),
    ],
)
def test_accepting_outside_the_reach_is_refused_and_places_nothing(
    family, make_product, admin, with_levels, who, whose, levels
):
    quote = _quote(family.users[whose], make_product(), admin)
    user = family.users[who]
    if levels is not None:
        user = with_levels(user, levels)
    with pytest.raises(ValidationFailed) as exc:
        quote_accept(quote=quote, customer_user=user, actor=user)
    assert _fields(exc) == {"customer_user_id"}
    assert "cannot act for" in exc.value.field_errors["customer_user_id"][0]
    quote.refresh_from_db()
    assert (quote.status, quote.accepted_at) == (QuoteStatus.SENT, None)
    assert not Order.objects.exists()


def test_same_customer_acceptors_get_the_order_in_their_name(family, make_product, admin, with_levels):
    """Department: a colleague accepts and the order is the colleague's; User: only one's own quote."""
    quote = _quote(family.users["acme"], make_product(), admin)
    colleague = with_levels(family.users["colleague"], {"commerce.quote": DEPT})
    order = quote_accept(quote=quote, customer_user=colleague, actor=colleague)
    assert (order.customer_id, order.customer_user_id) == (family.customers["acme"].pk, colleague.pk)
    own = _quote(family.users["acme"], make_product(), admin)
    me = with_levels(family.users["acme"], {"commerce.quote": USER})
    assert quote_accept(quote=own, customer_user=me, actor=me).customer_user_id == me.pk


def test_a_disabled_buyer_cannot_accept(family, make_product, admin):
    quote = _quote(family.users["acme"], make_product(), admin)
    user = customer_user_update(customer_user=family.users["acme"], enabled=False, actor=admin)
    with pytest.raises(ValidationFailed, match="Invalid") as exc:
        quote_accept(quote=quote, customer_user=user, actor=user)
    assert "disabled" in exc.value.field_errors["customer_user_id"][0]
    assert not Order.objects.exists()


# --- rfq_submit: who submits which list, products active (0035) ---------------------------------------
def test_a_corporate_parent_buyer_asks_for_a_quote_on_a_childs_list(family, make_product):
    sl = _list(family.users["child"], make_product())
    parent_buyer = family.users["acme"]
    rfq = rfq_submit(shopping_list=sl, customer_user=parent_buyer, actor=parent_buyer)
    assert (rfq.customer_id, rfq.customer_user_id) == (family.customers["child"].pk, family.users["child"].pk)
    entry = AuditEntry.objects.get(entity="commerce.rfq", object_id=str(rfq.pk))
    assert f"customer user #{parent_buyer.pk}" in entry.actor_label
    # a colleague who sees the list (Department) submits it as its own RFQ, even at User level on RFQs
    colleague = family.users["colleague"]
    mine = _list(family.users["acme"], make_product())
    rfq = rfq_submit(shopping_list=mine, customer_user=colleague, actor=colleague)
    assert (rfq.customer_id, rfq.customer_user_id) == (family.customers["acme"].pk, colleague.pk)


@pytest.mark.parametrize(
    ("who", "whose", "levels"),
    [
        ("sibling", "acme", None),
        ("child", "acme", None),
        ("acme", "child", {"commerce.shopping_list": DEPT, "commerce.rfq": CORP}),
        ("acme", "child", {"commerce.shopping_list": CORP, "commerce.rfq": DEPT}),
        ("colleague", "acme", {"commerce.shopping_list": USER, "commerce.rfq": CORP}),
        ("acme", "acme", {"commerce.shopping_list": CORP, "commerce.rfq": NONE}),
    ],
)
def test_submitting_outside_the_reach_is_refused_and_writes_nothing(
    family, make_product, with_levels, who, whose, levels
):
    sl = _list(family.users[whose], make_product())
    user = family.users[who]
    if levels is not None:
        user = with_levels(user, levels)
    with pytest.raises(ValidationFailed) as exc:
        rfq_submit(shopping_list=sl, customer_user=user, actor=user)
    assert _fields(exc) == {"customer_user_id"}
    assert not Rfq.objects.exists()


def test_disabled_products_and_moved_owners_are_refused_on_their_fields(family, make_product, admin):
    buyer = family.users["acme"]
    good, bad = make_product(), make_product()
    sl = _list(buyer, good)
    shopping_list_item_add(shopping_list=sl, product=bad, quantity=1, actor=buyer)
    product_update(product=bad, status="disabled", actor=admin)
    line = sl.lines.get(product=bad)
    with pytest.raises(ValidationFailed) as exc:
        rfq_submit(shopping_list=sl, customer_user=buyer, actor=buyer)
    assert _fields(exc) == {f"shopping_list.lines.{line.pk}.product_id"}
    assert bad.sku in exc.value.field_errors[f"shopping_list.lines.{line.pk}.product_id"][0]
    line.delete()
    moved = customer_user_update(customer_user=buyer, customer=family.customers["sibling"], actor=admin)
    with pytest.raises(ValidationFailed) as exc:
        rfq_submit(shopping_list=sl, customer_user=moved, actor=moved)
    assert _fields(exc) == {"shopping_list_id"}
    assert not Rfq.objects.exists()


def test_api_rfq_for_a_buyer_outside_the_list_reach_is_422(api_as, admin, family, make_product):
    sl = _list(family.users["acme"], make_product())
    answer = api_as(admin).post(
        "rfqs", {"shopping_list_id": sl.pk, "customer_user_id": family.users["sibling"].pk}
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["customer_user_id"]
    ok = api_as(admin).post(
        "rfqs", {"shopping_list_id": sl.pk, "customer_user_id": family.users["parent"].pk}
    )
    assert ok.status_code == 201
    assert ok.json()["customer_user_id"] == family.users["acme"].pk
    assert Rfq.objects.count() == 1


# --- quote_delete (0036) ----------------------------------------------------------------------------
def test_quotes_not_accepted_can_be_deleted_and_their_rfq_waits_again(buyer, make_product, admin):
    product = make_product()
    first = _quote(buyer, product, admin)
    rfq = first.rfq
    second = quote_create_from_rfq(rfq=rfq, actor=admin, send=False)
    quote_delete(quote=second, actor=admin)  # a draft; another quote still answers the RFQ
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.QUOTED
    Quote.objects.filter(pk=first.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    quote_delete(quote=first, actor=admin)  # expired (sent): the last one
    rfq.refresh_from_db()
    assert rfq.status == RfqStatus.SUBMITTED
    assert not Quote.objects.exists()
    assert AuditEntry.objects.filter(entity="commerce.quote", action="delete").count() == 2
    assert AuditEntry.objects.filter(
        entity="commerce.rfq", object_id=str(rfq.pk), action="update", changes__status__new="submitted"
    ).exists()


def test_an_accepted_quote_cannot_be_deleted(buyer, make_product, admin):
    quote = _quote(buyer, make_product(), admin)
    order = quote_accept(quote=quote, customer_user=buyer, actor=buyer)
    with pytest.raises(Conflict, match="accepted"):
        quote_delete(quote=quote, actor=admin)
    assert Order.objects.get(pk=order.pk).source_quote_id == quote.pk
    assert not AuditEntry.objects.filter(entity="commerce.quote", action="delete").exists()


def test_console_quote_delete_confirms_and_is_gated(console_as, admin, make_user, tree, buyer, make_product):
    sent = _quote(buyer, make_product(), admin)
    console = console_as(admin)
    view = console.get(reverse("console:quotes_view", args=[sent.pk])).content.decode()
    url = reverse("console:quotes_delete", args=[sent.pk])
    assert url in view
    page = console.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "1 line(s)" in body
    assert "no longer sees it" in body
    assert "submitted" in body
    rep = make_user("rep", roles=["sales_rep"])  # sees quotes, no delete grant
    rep_view = console_as(rep).get(reverse("console:quotes_view", args=[sent.pk]))
    assert rep_view.status_code == 200
    assert url not in rep_view.content.decode()
    assert console_as(rep).get(url).status_code == 403
    assert console_as(rep).post(url).status_code == 403
    stranger = make_user("stranger", unit=tree.other_main, roles=["commerce_manager"])
    assert console_as(stranger).post(url).status_code == 404
    assert Quote.objects.filter(pk=sent.pk).exists()
    answer = console.post(url)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("console:quotes_list")
    assert not Quote.objects.filter(pk=sent.pk).exists()
    accepted = _quote(buyer, make_product(), admin)
    quote_accept(quote=accepted, customer_user=buyer, actor=buyer)
    view = console.get(reverse("console:quotes_view", args=[accepted.pk])).content.decode()
    assert reverse("console:quotes_delete", args=[accepted.pk]) not in view
    assert console.post(reverse("console:quotes_delete", args=[accepted.pk])).status_code == 409
    assert Quote.objects.filter(pk=accepted.pk).exists()


def test_api_quote_delete(api_as, admin, make_user, tree, buyer, make_product):
    quote = _quote(buyer, make_product(), admin)
    assert api_as(None).delete(f"quotes/{quote.pk}").status_code == 401
    assert api_as(make_user("rep", roles=["sales_rep"])).delete(f"quotes/{quote.pk}").status_code == 403
    stranger = make_user("stranger", unit=tree.other_main, roles=["commerce_manager"])
    assert api_as(stranger).delete(f"quotes/{quote.pk}").status_code == 404
    assert Quote.objects.filter(pk=quote.pk).exists()
    assert api_as(admin).delete(f"quotes/{quote.pk}").status_code == 204
    assert api_as(admin).get(f"quotes/{quote.pk}").status_code == 404
    accepted = _quote(buyer, make_product(), admin)
    quote_accept(quote=accepted, customer_user=buyer, actor=buyer)
    answer = api_as(admin).delete(f"quotes/{accepted.pk}")
    assert answer.status_code == 409
    assert answer.json()["code"] == "conflict"


# --- order lines (0037) -------------------------------------------------------------------------------
@pytest.fixture
def order(buyer, make_product, admin):
    from accord.commerce.services.orders import order_create

    return order_create(
        customer=buyer.customer,
        customer_user=buyer,
        lines=[
            {"product": make_product("10.00"), "quantity": 2},
            {"product": make_product("5.00"), "quantity": 1},
        ],
        currency="USD",
        discount="5.00",
        entry_point="console",
        actor=admin,
    )


def _totals(order):
    order.refresh_from_db()
    return (order.subtotal, order.total, order.base_total, order.payment_status)


def test_adding_changing_removing_lines_recomputes_the_totals(order, make_product, admin):
    assert _totals(order)[:2] == (Decimal("25.00"), Decimal("20.00"))
    added = order_line_add(order=order, product=make_product("3.00"), quantity=3, actor=admin)
    assert (added.unit_price, added.total) == (Decimal("3.00"), Decimal("9.00"))
    assert _totals(order)[:3] == (Decimal("34.00"), Decimal("29.00"), Decimal("29.00"))
    order_line_add(order=order, sku="FEE", name="Handling", quantity=1, unit_price="1.5", actor=admin)
    first = order.lines.order_by("id").first()
    order_line_change(line=first, quantity="1", unit_price="12", actor=admin)
    assert _totals(order)[:2] == (Decimal("27.50"), Decimal("22.50"))
    order_line_remove(line=added, actor=admin)
    assert _totals(order)[:2] == (Decimal("18.50"), Decimal("13.50"))
    assert sum(line.total for line in order.lines.all()) == order.subtotal
    entries = AuditEntry.objects.filter(entity="commerce.order", object_id=str(order.pk), action="update")
    changes = [e.changes for e in entries.order_by("id")]
    assert changes[-1][f"lines.{added.sku}#{added.pk}"] == {"old": "3 × 3", "new": None}
    assert changes[2][f"lines.{first.sku}#{first.pk}"] == {"old": "2 × 10", "new": "1 × 12"}
    assert changes[2]["total"]["new"] == "22.50"


def test_line_refusals_name_the_field_and_change_nothing(order, make_product, admin):
    before = _totals(order)
    first, second = order.lines.order_by("id")
    with pytest.raises(ValidationFailed) as exc:
        order_line_add(order=order, quantity=0, sku="X", unit_price="1", actor=admin)
    assert _fields(exc) == {"quantity"}
    with pytest.raises(ValidationFailed) as exc:
        order_line_add(order=order, quantity=1, unit_price="1", actor=admin)
    assert _fields(exc) == {"product_id"}
    order_line_remove(line=second, actor=admin)
    with pytest.raises(ValidationFailed) as exc:  # the discount (5) would exceed the subtotal (2)
        order_line_change(line=first, unit_price="1", actor=admin)
    assert _fields(exc) == {"unit_price"}
    assert "discount" in exc.value.field_errors["unit_price"][0]
    with pytest.raises(ValidationFailed) as exc:
        order_line_remove(line=first, actor=admin)
    assert _fields(exc) == {"line_id"}
    assert _totals(order)[:2] == (Decimal("20.00"), Decimal("15.00"))
    assert before[:2] == (Decimal("25.00"), Decimal("20.00"))
    assert OrderLine.objects.filter(order=order).count() == 1


def test_payments_beyond_the_new_total_are_refused(order, admin):
    order_payment_record(order=order, amount="18.00", actor=admin)
    first, second = order.lines.order_by("id")
    with pytest.raises(ValidationFailed, match="Invalid") as exc:
        order_line_remove(line=first, actor=admin)  # the total would become 0 < 18 paid
    assert "18.00 USD was paid" in exc.value.field_errors["line_id"][0]
    order_refund_record(order=order, amount="18.00", actor=admin)
    with pytest.raises(ValidationFailed):  # refunds do not reopen the order (0031)
        order_line_change(line=first, quantity="0.5", actor=admin)
    assert _totals(order)[:2] == (Decimal("25.00"), Decimal("20.00"))
    assert order.lines.count() == 2


@pytest.mark.parametrize("final", ["shipped", "closed", "cancelled"])
def test_lines_of_a_final_order_cannot_change(order, make_product, admin, final):
    if final == "cancelled":
        order_cancel(order=order, actor=admin)
    else:
        order_status_set(order=order, status=final, actor=admin)
    first = order.lines.order_by("id").first()
    for attempt in (
        lambda: order_line_add(order=order, product=make_product(), quantity=1, actor=admin),
        lambda: order_line_change(line=first, quantity=5, actor=admin),
        lambda: order_line_remove(line=first, actor=admin),
    ):
        with pytest.raises(Conflict, match=final):
            attempt()
    assert _totals(order)[:2] == (Decimal("25.00"), Decimal("20.00"))
    order.refresh_from_db()
    assert order.internal_status == final


def test_a_payment_status_change_is_announced_in_the_transaction(order, make_product, admin):
    """Lifetime value counts payments only (0054): lines change none; the derived status is announced."""
    heard = []

    def listener(sender, **kwargs):
        heard.append((kwargs["old_status"], kwargs["new_status"], kwargs["payment"], kwargs["paid_amount"]))

    order_payment_record(order=order, amount="20.00", actor=admin)
    signals.order_payment_changed.connect(listener, dispatch_uid="test-gaps")
    try:
        order_status_set(order=order, status=InternalStatus.PROCESSING, actor=admin)
        line = order_line_add(order=order, product=make_product("4.00"), quantity=1, actor=admin)
        assert heard == [(PaymentStatus.PAID_IN_FULL, PaymentStatus.PARTIALLY_PAID, None, Decimal("20.00"))]
        order_line_change(line=line, quantity=2, actor=admin)  # still partially paid: nothing to say
        assert len(heard) == 1
        order_line_remove(line=line, actor=admin)
        assert heard[-1][:2] == (PaymentStatus.PARTIALLY_PAID, PaymentStatus.PAID_IN_FULL)
    finally:
        signals.order_payment_changed.disconnect(dispatch_uid="test-gaps")
    assert _totals(order)[3] == PaymentStatus.PAID_IN_FULL


def test_console_line_pages_act_and_are_gated(console_as, admin, make_user, tree, order, make_product):
    console = console_as(admin)
    first = order.lines.order_by("id").first()
    urls = {
        "add": reverse("console:orders_line_add", args=[order.pk]),
        "change": reverse("console:orders_line_change", args=[order.pk, first.pk]),
        "remove": reverse("console:orders_line_remove", args=[order.pk, first.pk]),
    }
    view = console.get(reverse("console:orders_view", args=[order.pk])).content.decode()
    assert all(url in view for url in urls.values())
    order_payment_record(order=order, amount="20.00", actor=admin)
    bad = console.post(urls["change"], {"quantity": "1", "unit_price": "10"})  # total 10 < 20 paid
    assert bad.status_code == 400
    assert "20.00 USD was paid" in bad.content.decode()
    assert console.post(urls["change"], {"quantity": "3", "unit_price": "10"}).status_code == 302
    product = make_product("2.00")
    assert console.post(urls["add"], {"product": product.pk, "quantity": "2"}).status_code == 302
    assert _totals(order)[:2] == (Decimal("39.00"), Decimal("34.00"))
    second = order.lines.order_by("id")[1]
    remove = reverse("console:orders_line_remove", args=[order.pk, second.pk])
    assert "Remove the line" in console.get(remove).content.decode()
    assert console.post(remove).status_code == 302
    assert _totals(order)[:2] == (Decimal("34.00"), Decimal("29.00"))

    viewer = make_user("viewer", grants={"commerce.order": {"view": AccessLevel.ORGANIZATION}})
    page = console_as(viewer).get(reverse("console:orders_view", args=[order.pk])).content.decode()
    assert "data-line-edit" not in page
    assert urls["add"] not in page
    own = {
        "add": urls["add"],
        "change": urls["change"],
        "remove": urls["remove"],
    }
    for url in own.values():
        assert console_as(viewer).get(url).status_code == 403
        assert (
            console_as(viewer).post(url, {"quantity": "9", "unit_price": "9", "sku": "X"}).status_code == 403
        )
    stranger = make_user("stranger", unit=tree.other_main, roles=["commerce_manager"])
    assert console_as(stranger).post(own["remove"]).status_code == 404
    gone = reverse("console:orders_line_change", args=[order.pk, second.pk])
    assert console.get(gone).status_code == 404
    order_status_set(order=order, status="shipped", actor=admin)
    view = console.get(reverse("console:orders_view", args=[order.pk])).content.decode()
    assert "data-line-edit" not in view
    assert own["add"] not in view
    assert console.get(own["add"]).status_code == 409
    assert console.post(own["remove"]).status_code == 409
    assert _totals(order)[:2] == (Decimal("34.00"), Decimal("29.00"))


def test_api_order_lines(api_as, admin, make_user, tree, order, make_product):
    api = api_as(admin)
    product = make_product("2.50")
    created = api.post(f"orders/{order.pk}/lines", {"product_id": product.pk, "quantity": "2"})
    assert created.status_code == 201
    body = created.json()
    assert (body["subtotal"]["amount"], body["total"]["amount"]) == ("30.00", "25.00")
    line_id = body["lines"][-1]["id"]
    changed = api.patch(
        f"orders/{order.pk}/lines/{line_id}",
        {"quantity": "4", "unit_price": {"amount": "1", "currency": "USD"}},
    )
    assert changed.status_code == 200
    assert changed.json()["total"]["amount"] == "24.00"
    wrong = api.patch(
        f"orders/{order.pk}/lines/{line_id}", {"unit_price": {"amount": "1", "currency": "EUR"}}
    )
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["unit_price.currency"]
    bad = api.post(f"orders/{order.pk}/lines", {"quantity": "-1", "sku": "X", "unit_price": None})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"quantity"}
    assert api.delete(f"orders/{order.pk}/lines/999999").status_code == 404
    viewer = make_user("viewer", grants={"commerce.order": {"view": AccessLevel.ORGANIZATION}})
    assert api_as(viewer).delete(f"orders/{order.pk}/lines/{line_id}").status_code == 403
    assert api_as(viewer).post(f"orders/{order.pk}/lines", {"sku": "X", "quantity": 1}).status_code == 403
    stranger = make_user("stranger", unit=tree.other_main, roles=["commerce_manager"])
    assert api_as(stranger).delete(f"orders/{order.pk}/lines/{line_id}").status_code == 404
    assert api.delete(f"orders/{order.pk}/lines/{line_id}").status_code == 204
    assert _totals(order)[:2] == (Decimal("25.00"), Decimal("20.00"))
    order_status_set(order=order, status="closed", actor=admin)
    closed = api.post(f"orders/{order.pk}/lines", {"product_id": product.pk, "quantity": "1"})
    assert closed.status_code == 409
    assert order.lines.count() == 2
