"""/api/v1/shopping-lists, /api/v1/rfqs (with /quote and /cancel) and /api/v1/quotes (with /send, DELETE)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.api.document_rows import (
    LIST_COLUMNS,
    QUOTE_COLUMNS,
    RFQ_COLUMNS,
    quote_rows,
    rfq_rows,
    shopping_list_rows,
)
from accord.commerce.api.document_schemas import (
    QuoteFromRfqIn,
    QuoteOut,
    RfqIn,
    RfqOut,
    ShoppingListIn,
    ShoppingListLineIn,
    ShoppingListLinePatchIn,
    ShoppingListOut,
    ShoppingListPatchIn,
)
from accord.commerce.api.orders import customer_user_ref
from accord.commerce.models import Product, Quote, Rfq, ShoppingList, ShoppingListLine
from accord.commerce.models.documents import quote_status_q
from accord.commerce.services import quotes as services
from accord.commerce.services import shopping_lists as lists
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows
from accord.platform.errors import NotFound, ValidationFailed

shopping_lists = Router(tags=["shopping lists"])
rfqs = Router(tags=["rfqs"])
quotes = Router(tags=["quotes"])
LIST, RFQ, QUOTE = "commerce.shopping_list", "commerce.rfq", "commerce.quote"
SORTS = ("id", "created_at", "updated_at")
NEWEST = "-created_at"


def _lists() -> QuerySet[ShoppingList]:
    return ShoppingList.objects.prefetch_related("lines__product")


def _rfqs() -> QuerySet[Rfq]:
    return Rfq.objects.prefetch_related("lines")


def _quotes() -> QuerySet[Quote]:
    return Quote.objects.prefetch_related("lines")


def _filter(qs: QuerySet[Any], customer_id: int | None, customer_user_id: int | None) -> QuerySet[Any]:
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if customer_user_id is not None:
        qs = qs.filter(customer_user_id=customer_user_id)
    return qs


# --- shopping lists ------------------------------------------------------------------------------
@shopping_lists.get(
    "", response={200: page_of(ShoppingListOut), **ERRORS}, operation_id="shopping_lists_list"
)
def shopping_lists_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    customer_user_id: int | None = None,
) -> Any:
    qs = _filter(acl.visible(request.auth, LIST, ShoppingList.objects.all()), customer_id, customer_user_id)
    sorts = (*SORTS, "name")
    return page_rows(
        qs, params, ShoppingListOut, LIST_COLUMNS, shopping_list_rows, sorts=sorts, default_sort=NEWEST
    )


@shopping_lists.get("/{int:pk}", response={200: ShoppingListOut, **ERRORS}, operation_id="shopping_lists_get")
def shopping_lists_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, LIST, pk, _lists())


@shopping_lists.post("", response={201: ShoppingListOut, **ERRORS}, operation_id="shopping_lists_create")
def shopping_lists_create(request: HttpRequest, payload: ShoppingListIn) -> Any:
    acl.require(request.auth, LIST, "create")
    owner = customer_user_ref(request.auth, payload.customer_user_id)
    created = lists.shopping_list_create(customer_user=owner, name=payload.name, actor=request.auth)  # type: ignore[arg-type]
    return Status(201, _lists().get(pk=created.pk))


@shopping_lists.patch(
    "/{int:pk}", response={200: ShoppingListOut, **ERRORS}, operation_id="shopping_lists_update"
)
def shopping_lists_update(request: HttpRequest, pk: int, payload: ShoppingListPatchIn) -> Any:
    found = acl.get_for_action(request.auth, LIST, "edit", pk)
    lists.shopping_list_rename(shopping_list=found, name=payload.name, actor=request.auth)
    return _lists().get(pk=pk)


@shopping_lists.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="shopping_lists_delete")
def shopping_lists_delete(request: HttpRequest, pk: int) -> Any:
    found = acl.get_for_action(request.auth, LIST, "delete", pk)
    lists.shopping_list_delete(shopping_list=found, actor=request.auth)
    return Status(204, None)


@shopping_lists.post(
    "/{int:pk}/lines", response={201: ShoppingListOut, **ERRORS}, operation_id="shopping_lists_line_add"
)
def shopping_lists_line_add(request: HttpRequest, pk: int, payload: ShoppingListLineIn) -> Any:
    found = acl.get_for_action(request.auth, LIST, "edit", pk)
    product = (
        acl.visible(request.auth, "commerce.product", Product.objects.all())
        .filter(pk=payload.product_id)
        .first()
    )
    if product is None:
        raise ValidationFailed({"product_id": f"Product {payload.product_id} does not exist."})
    lists.shopping_list_item_add(
        shopping_list=found, product=product, quantity=payload.quantity, actor=request.auth
    )
    return Status(201, _lists().get(pk=pk))


def _line(request: HttpRequest, pk: int, line_id: int) -> ShoppingListLine:
    found = acl.get_for_action(request.auth, LIST, "edit", pk)
    line = ShoppingListLine.objects.filter(shopping_list=found, pk=line_id).first()
    if line is None:
        raise NotFound(f"Line {line_id} was not found on this shopping list.")
    return line


@shopping_lists.patch(
    "/{int:pk}/lines/{int:line_id}",
    response={200: ShoppingListOut, **ERRORS},
    operation_id="shopping_lists_line_set",
)
def shopping_lists_line_set(
    request: HttpRequest, pk: int, line_id: int, payload: ShoppingListLinePatchIn
) -> Any:
    lists.shopping_list_item_set_quantity(
        item=_line(request, pk, line_id), quantity=payload.quantity, actor=request.auth
    )
    return _lists().get(pk=pk)


@shopping_lists.delete(
    "/{int:pk}/lines/{int:line_id}", response={204: None, **ERRORS}, operation_id="shopping_lists_line_remove"
)
def shopping_lists_line_remove(request: HttpRequest, pk: int, line_id: int) -> Any:
    lists.shopping_list_item_remove(item=_line(request, pk, line_id), actor=request.auth)
    return Status(204, None)


add_history_route(shopping_lists, entity=LIST, resource="shopping-lists")


# --- RFQs ------------------------------------------------------------------------------------------
@rfqs.get("", response={200: page_of(RfqOut), **ERRORS}, operation_id="rfqs_list")
def rfqs_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    customer_user_id: int | None = None,
    status: str | None = None,
) -> Any:
    qs = _filter(acl.visible(request.auth, RFQ, Rfq.objects.all()), customer_id, customer_user_id)
    if status:
        qs = qs.filter(status=status)
    sorts = (*SORTS, "status", "po_number")
    return page_rows(qs, params, RfqOut, RFQ_COLUMNS, rfq_rows, sorts=sorts, default_sort=NEWEST)


@rfqs.get("/{int:pk}", response={200: RfqOut, **ERRORS}, operation_id="rfqs_get")
def rfqs_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, RFQ, pk, _rfqs())


@rfqs.post("", response={201: RfqOut, **ERRORS}, operation_id="rfqs_create")
def rfqs_create(request: HttpRequest, payload: RfqIn) -> Any:
    """Submit an RFQ from a shopping list (on behalf of a buyer)."""
    user = request.auth
    acl.require(user, RFQ, "create")
    found = acl.visible(user, LIST).filter(pk=payload.shopping_list_id).first()
    if found is None:
        raise ValidationFailed(
            {"shopping_list_id": f"Shopping list {payload.shopping_list_id} does not exist."}
        )
    buyer = customer_user_ref(user, payload.customer_user_id) or found.customer_user
    rfq = services.rfq_submit(
        shopping_list=found, customer_user=buyer, po_number=payload.po_number, note=payload.note, actor=user
    )
    return Status(201, _rfqs().get(pk=rfq.pk))


@rfqs.post("/{int:pk}/quote", response={201: QuoteOut, **ERRORS}, operation_id="rfqs_quote")
def rfqs_quote(request: HttpRequest, pk: int, payload: QuoteFromRfqIn) -> Any:
    """Turn the RFQ into a quote (sent to the buyer unless `send` is false)."""
    rfq = acl.get_visible_or_404(request.auth, RFQ, pk)
    acl.require(request.auth, QUOTE, "create")
    quote = services.quote_create_from_rfq(
        rfq=rfq,
        prices=payload.prices,
        currency=payload.currency,
        valid_until=payload.valid_until,
        send=payload.send,
        actor=request.auth,
    )
    return Status(201, _quotes().get(pk=quote.pk))


@rfqs.post("/{int:pk}/cancel", response={200: RfqOut, **ERRORS}, operation_id="rfqs_cancel")
def rfqs_cancel(request: HttpRequest, pk: int) -> Any:
    rfq = acl.get_for_action(request.auth, RFQ, "edit", pk)
    services.rfq_cancel(rfq=rfq, actor=request.auth)
    return _rfqs().get(pk=pk)


add_history_route(rfqs, entity=RFQ, resource="rfqs")


# --- quotes ----------------------------------------------------------------------------------------
@quotes.get("", response={200: page_of(QuoteOut), **ERRORS}, operation_id="quotes_list")
def quotes_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    customer_user_id: int | None = None,
    rfq_id: int | None = None,
    status: str | None = None,
) -> Any:
    qs = _filter(acl.visible(request.auth, QUOTE, Quote.objects.all()), customer_id, customer_user_id)
    if rfq_id is not None:
        qs = qs.filter(rfq_id=rfq_id)
    if status:
        qs = qs.filter(quote_status_q(status))
    sorts = (*SORTS, "status", "valid_until")
    return page_rows(qs, params, QuoteOut, QUOTE_COLUMNS, quote_rows, sorts=sorts, default_sort=NEWEST)


@quotes.get("/{int:pk}", response={200: QuoteOut, **ERRORS}, operation_id="quotes_get")
def quotes_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, QUOTE, pk, _quotes())


@quotes.post("/{int:pk}/send", response={200: QuoteOut, **ERRORS}, operation_id="quotes_send")
def quotes_send(request: HttpRequest, pk: int) -> Any:
    quote = acl.get_for_action(request.auth, QUOTE, "edit", pk)
    services.quote_send(quote=quote, actor=request.auth)
    return _quotes().get(pk=pk)


@quotes.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="quotes_delete")
def quotes_delete(request: HttpRequest, pk: int) -> Any:
    """Delete a quote not yet accepted (409 for an accepted one); its RFQ stays."""
    quote = acl.get_for_action(request.auth, QUOTE, "delete", pk)
    services.quote_delete(quote=quote, actor=request.auth)
    return Status(204, None)


add_history_route(quotes, entity=QUOTE, resource="quotes")
