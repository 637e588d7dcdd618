"""/shopping-lists (+ items), /rfqs, /quotes (+ accept), /orders (+ reorder) of the storefront API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.models import Order, Quote, Rfq, ShoppingList, ShoppingListLine
from accord.commerce.services import orders as order_services
from accord.commerce.services import quotes as quote_services
from accord.commerce.services import shopping_lists as list_services
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows
from accord.platform.errors import NotFound
from accord.storefront import access, selectors
from accord.storefront.api.document_rows import (
    LIST_COLUMNS,
    QUOTE_COLUMNS,
    RFQ_COLUMNS,
    quote_rows,
    rfq_rows,
    shopping_list_rows,
)
from accord.storefront.api.order_rows import COLUMNS as ORDER_COLUMNS
from accord.storefront.api.order_rows import order_rows
from accord.storefront.api.schemas import (
    ItemIn,
    ItemOut,
    NameIn,
    OrderOut,
    QuantityIn,
    QuoteOut,
    RfqIn,
    RfqOut,
    ShoppingListOut,
)
from accord.storefront.selectors import ORDER, QUOTE, RFQ, SHOPPING_LIST

shopping_lists = Router(tags=["shopping lists"])
rfqs = Router(tags=["requests for quote"])
quotes = Router(tags=["quotes"])
orders = Router(tags=["orders"])
SORTS = ("id", "created_at", "updated_at")


def _lists() -> QuerySet[ShoppingList]:
    return ShoppingList.objects.prefetch_related("lines__product")


def _rfqs() -> QuerySet[Rfq]:
    return Rfq.objects.prefetch_related("lines")


def _quotes() -> QuerySet[Quote]:
    return selectors.quotes().prefetch_related("lines")


def _orders() -> QuerySet[Order]:
    return Order.objects.prefetch_related("lines")


# --- shopping lists ------------------------------------------------------------------------------
@shopping_lists.get(
    "", response={200: page_of(ShoppingListOut), **ERRORS}, operation_id="sf_shopping_lists_list"
)
def lists_list(request: HttpRequest, params: Query[ListParams], customer_id: int | None = None) -> Any:
    qs = access.visible(request.auth, SHOPPING_LIST, ShoppingList.objects.all())
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return page_rows(qs, params, ShoppingListOut, LIST_COLUMNS, shopping_list_rows, sorts=(*SORTS, "name"))


@shopping_lists.get(
    "/{int:pk}", response={200: ShoppingListOut, **ERRORS}, operation_id="sf_shopping_lists_get"
)
def lists_get(request: HttpRequest, pk: int) -> Any:
    return access.get_visible_or_404(request.auth, SHOPPING_LIST, pk, _lists())


@shopping_lists.post("", response={201: ShoppingListOut, **ERRORS}, operation_id="sf_shopping_lists_create")
def lists_create(request: HttpRequest, payload: NameIn) -> Any:
    user = request.auth
    access.require(user, SHOPPING_LIST, "create")
    created = list_services.shopping_list_create(customer_user=user, name=payload.name, actor=user)
    return Status(201, _lists().get(pk=created.pk))


@shopping_lists.patch(
    "/{int:pk}", response={200: ShoppingListOut, **ERRORS}, operation_id="sf_shopping_lists_rename"
)
def lists_rename(request: HttpRequest, pk: int, payload: NameIn) -> Any:
    record = access.get_for_action(request.auth, SHOPPING_LIST, "edit", pk, _lists())
    list_services.shopping_list_rename(shopping_list=record, name=payload.name, actor=request.auth)
    return _lists().get(pk=pk)


@shopping_lists.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="sf_shopping_lists_delete")
def lists_delete(request: HttpRequest, pk: int) -> Any:
    record = access.get_for_action(request.auth, SHOPPING_LIST, "delete", pk, _lists())
    list_services.shopping_list_delete(shopping_list=record, actor=request.auth)
    return Status(204, None)


@shopping_lists.post(
    "/{int:pk}/items", response={201: ItemOut, **ERRORS}, operation_id="sf_shopping_list_items_add"
)
def items_add(request: HttpRequest, pk: int, payload: ItemIn) -> Any:
    """Put a product on the list (adds to the quantity when it is there already)."""
    user = request.auth
    record = access.get_for_action(user, SHOPPING_LIST, "edit", pk, _lists())
    product = selectors.products(user.organization_id).filter(pk=payload.product_id).first()
    if product is None:
        raise NotFound("There is no such product.", field="product_id")
    line = list_services.shopping_list_item_add(
        shopping_list=record, product=product, quantity=payload.quantity, actor=user
    )
    return Status(201, ShoppingListLine.objects.select_related("product").get(pk=line.pk))


def _item(request: HttpRequest, pk: int, item_id: int) -> ShoppingListLine:
    record = access.get_for_action(request.auth, SHOPPING_LIST, "edit", pk, _lists())
    line = ShoppingListLine.objects.select_related("product").filter(shopping_list=record, pk=item_id).first()
    if line is None:
        raise NotFound("Not found.")
    return line


@shopping_lists.patch(
    "/{int:pk}/items/{int:item_id}",
    response={200: ItemOut, **ERRORS},
    operation_id="sf_shopping_list_items_update",
)
def items_update(request: HttpRequest, pk: int, item_id: int, payload: QuantityIn) -> Any:
    line = _item(request, pk, item_id)
    list_services.shopping_list_item_set_quantity(item=line, quantity=payload.quantity, actor=request.auth)
    return ShoppingListLine.objects.select_related("product").get(pk=line.pk)


@shopping_lists.delete(
    "/{int:pk}/items/{int:item_id}",
    response={204: None, **ERRORS},
    operation_id="sf_shopping_list_items_remove",
)
def items_remove(request: HttpRequest, pk: int, item_id: int) -> Any:
    line = _item(request, pk, item_id)
    list_services.shopping_list_item_remove(item=line, actor=request.auth)
    return Status(204, None)


# --- RFQs ----------------------------------------------------------------------------------------
@rfqs.get("", response={200: page_of(RfqOut), **ERRORS}, operation_id="sf_rfqs_list")
def rfqs_list(request: HttpRequest, params: Query[ListParams], status: str | None = None) -> Any:
    qs = access.visible(request.auth, RFQ, Rfq.objects.all())
    if status:
        qs = qs.filter(status=status)
    return page_rows(qs, params, RfqOut, RFQ_COLUMNS, rfq_rows, sorts=SORTS)


@rfqs.get("/{int:pk}", response={200: RfqOut, **ERRORS}, operation_id="sf_rfqs_get")
def rfqs_get(request: HttpRequest, pk: int) -> Any:
    return access.get_visible_or_404(request.auth, RFQ, pk, _rfqs())


@rfqs.post("", response={201: RfqOut, **ERRORS}, operation_id="sf_rfqs_submit")
def rfqs_submit(request: HttpRequest, payload: RfqIn) -> Any:
    """Submit a shopping list (one you can see) as a request for quote."""
    user = request.auth
    access.require(user, RFQ, "create")
    try:
        source = access.get_visible_or_404(user, SHOPPING_LIST, payload.shopping_list_id, _lists())
    except NotFound:
        raise NotFound("Not found.", field="shopping_list_id") from None
    rfq = quote_services.rfq_submit(
        shopping_list=source, customer_user=user, po_number=payload.po_number, note=payload.note, actor=user
    )
    return Status(201, _rfqs().get(pk=rfq.pk))


# --- quotes --------------------------------------------------------------------------------------
@quotes.get("", response={200: page_of(QuoteOut), **ERRORS}, operation_id="sf_quotes_list")
def quotes_list(request: HttpRequest, params: Query[ListParams], rfq_id: int | None = None) -> Any:
    qs = access.visible(request.auth, QUOTE, selectors.quotes())
    if rfq_id is not None:
        qs = qs.filter(rfq_id=rfq_id)
    return page_rows(qs, params, QuoteOut, QUOTE_COLUMNS, quote_rows, sorts=(*SORTS, "valid_until"))


@quotes.get("/{int:pk}", response={200: QuoteOut, **ERRORS}, operation_id="sf_quotes_get")
def quotes_get(request: HttpRequest, pk: int) -> Any:
    return access.get_visible_or_404(request.auth, QUOTE, pk, _quotes())


@quotes.post("/{int:pk}/accept", response={201: OrderOut, **ERRORS}, operation_id="sf_quotes_accept")
def quotes_accept(request: HttpRequest, pk: int) -> Any:
    """Accept a sent, unexpired quote: it places an order (the answer)."""
    user = request.auth
    record = access.get_for_action(user, QUOTE, "edit", pk, _quotes())
    order = quote_services.quote_accept(quote=record, customer_user=user, actor=user)
    return Status(201, _orders().get(pk=order.pk))


# --- orders --------------------------------------------------------------------------------------
@orders.get("", response={200: page_of(OrderOut), **ERRORS}, operation_id="sf_orders_list")
def orders_list(request: HttpRequest, params: Query[ListParams], customer_id: int | None = None) -> Any:
    qs = access.visible(request.auth, ORDER, Order.objects.all())
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    return page_rows(qs, params, OrderOut, ORDER_COLUMNS, order_rows, sorts=(*SORTS, "identifier", "total"))


@orders.get("/{int:pk}", response={200: OrderOut, **ERRORS}, operation_id="sf_orders_get")
def orders_get(request: HttpRequest, pk: int) -> Any:
    return access.get_visible_or_404(request.auth, ORDER, pk, _orders())


@orders.post("/{int:pk}/reorder", response={201: ShoppingListOut, **ERRORS}, operation_id="sf_orders_reorder")
def orders_reorder(request: HttpRequest, pk: int) -> Any:
    """A new shopping list of yours with the order's products that can still be ordered."""
    user = request.auth
    record = access.get_visible_or_404(user, ORDER, pk, _orders())
    access.require(user, SHOPPING_LIST, "create")
    created = order_services.order_reorder(order=record, customer_user=user, actor=user)
    return Status(201, _lists().get(pk=created.pk))
