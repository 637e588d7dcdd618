"""/api/v1/orders, with /lines, /payments, /refunds and /cancel sub-resources."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.api.document_schemas import (
    OrderIn,
    OrderLineIn,
    OrderLinePatchIn,
    OrderOut,
    OrderPatchIn,
    PaymentIn,
    PaymentOut,
    RefundIn,
)
from accord.commerce.api.order_rows import COLUMNS, order_rows
from accord.commerce.api.refs import amount_in, customer_ref, owner_ref
from accord.commerce.models import CustomerUser, Order, OrderLine, Product
from accord.commerce.models.customers import subtree_q
from accord.commerce.services import order_lines, payments
from accord.commerce.services import orders as services
from accord.platform import acl, money
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows
from accord.platform.errors import NotFound, ValidationFailed

orders = Router(tags=["orders"])
ENTITY = "commerce.order"


def _qs() -> QuerySet[Order]:
    return Order.objects.prefetch_related("lines")


def customer_user_ref(user: Any, pk: int | None, field: str = "customer_user_id") -> CustomerUser | None:
    if pk is None:
        return None
    found = acl.visible(user, "commerce.customer_user").filter(pk=pk).first()
    if found is None:
        raise ValidationFailed({field: f"Customer user {pk} does not exist."})
    return found


def _with_base(rows: list[Any]) -> list[Any]:
    """The base currency, looked up once for the whole list."""
    base = money.base_currency()
    for row in rows:
        row.base_currency = base
    return rows


def _lines(user: Any, payload: OrderIn) -> list[dict[str, Any]]:
    """Service rows from the payload; prices in another currency are refused on their field."""
    ids = [line.product_id for line in payload.lines if line.product_id is not None]
    products = acl.visible(user, "commerce.product", Product.objects.all()).in_bulk(ids)
    rows = []
    for index, line in enumerate(payload.lines):
        row: dict[str, Any] = {"quantity": line.quantity, "sku": line.sku, "name": line.name}
        if line.product_id is not None:
            row["product"] = products.get(line.product_id)
            if row["product"] is None:
                raise ValidationFailed(
                    {f"lines.{index}.product_id": f"Product {line.product_id} does not exist."}
                )
        if line.unit_price is not None:
            row["unit_price"] = amount_in(line.unit_price, payload.currency, f"lines.{index}.unit_price")
        rows.append(row)
    return rows


@orders.get("", response={200: page_of(OrderOut), **ERRORS}, operation_id="orders_list")
def orders_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    customer_user_id: int | None = None,
    subtree_of: int | None = None,
    identifier: str | None = None,
    po_number: str | None = None,
    q: str | None = None,
    internal_status: str | None = None,
    payment_status: str | None = None,
    currency: str | None = None,
) -> Any:
    """Orders; `subtree_of=ID`: of that customer and all its descendants; `q`: identifier or PO number."""
    qs = acl.visible(request.auth, ENTITY, Order.objects.all())
    if subtree_of is not None:
        top = acl.get_visible_or_404(request.auth, "commerce.customer", subtree_of)
        qs = qs.filter(subtree_q(top.path, "customer__path"))
    for field, value in (
        ("customer_id", customer_id),
        ("customer_user_id", customer_user_id),
        ("internal_status", internal_status),
        ("payment_status", payment_status),
        ("currency", currency.upper() if currency else None),
        ("identifier", identifier),
    ):
        if value is not None:
            qs = qs.filter(**{field: value})
    if po_number:
        qs = qs.filter(po_number__icontains=po_number)
    if q:
        qs = qs.filter(Q(identifier__icontains=q) | Q(po_number__icontains=q))
    sorts = ("id", "identifier", "created_at", "total", "po_number", "internal_status", "payment_status")
    return page_rows(qs, params, OrderOut, COLUMNS, order_rows, sorts=sorts, default_sort="-created_at")


@orders.get("/{int:pk}", response={200: OrderOut, **ERRORS}, operation_id="orders_get")
def orders_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())


@orders.post("", response={201: OrderOut, **ERRORS}, operation_id="orders_create")
def orders_create(request: HttpRequest, payload: OrderIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    customer = customer_ref(user, payload.customer_id, "customer_id")
    payload.currency = money.validate_currency(payload.currency)
    discount = amount_in(payload.discount, payload.currency, "discount") or 0
    order = services.order_create(
        customer=customer,  # type: ignore[arg-type]
        customer_user=customer_user_ref(user, payload.customer_user_id),
        lines=_lines(user, payload),
        currency=payload.currency,
        po_number=payload.po_number,
        discount=discount,
        owner=owner_ref(user, ENTITY, payload.owner_id),
        entry_point="api",
        actor=user,
    )
    return Status(201, _qs().get(pk=order.pk))


@orders.patch("/{int:pk}", response={200: OrderOut, **ERRORS}, operation_id="orders_update")
def orders_update(request: HttpRequest, pk: int, payload: OrderPatchIn) -> Any:
    """Move the order to another customer and/or change its internal status."""
    user = request.auth
    order = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    if data.get("customer_id") is not None:
        customer = customer_ref(user, data["customer_id"], "customer_id")
        order = services.order_move(order=order, customer=customer, actor=user)  # type: ignore[arg-type]
    if data.get("internal_status") is not None:
        services.order_status_set(order=order, status=data["internal_status"], actor=user)
    return _qs().get(pk=pk)


@orders.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="orders_delete")
def orders_delete(request: HttpRequest, pk: int) -> Any:
    order = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.order_delete(order=order, actor=request.auth)
    return Status(204, None)


@orders.post("/{int:pk}/cancel", response={200: OrderOut, **ERRORS}, operation_id="orders_cancel")
def orders_cancel(request: HttpRequest, pk: int) -> Any:
    order = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    payments.order_cancel(order=order, actor=request.auth)
    return _qs().get(pk=pk)


@orders.post("/{int:pk}/lines", response={201: OrderOut, **ERRORS}, operation_id="orders_line_add")
def orders_line_add(request: HttpRequest, pk: int, payload: OrderLineIn) -> Any:
    """Add a line to an open or processing order (409 once shipped, closed or cancelled)."""
    order = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    product = None
    if payload.product_id is not None:
        product = (
            acl.visible(request.auth, "commerce.product", Product.objects.all())
            .filter(pk=payload.product_id)
            .first()
        )
        if product is None:
            raise ValidationFailed({"product_id": f"Product {payload.product_id} does not exist."})
    order_lines.order_line_add(
        order=order,
        product=product,
        quantity=payload.quantity,
        unit_price=amount_in(payload.unit_price, order.currency, "unit_price"),
        sku=payload.sku or "",
        name=payload.name or "",
        actor=request.auth,
    )
    return Status(201, _qs().get(pk=pk))


def _line(request: HttpRequest, pk: int, line_id: int) -> OrderLine:
    order = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    line = OrderLine.objects.filter(order=order, pk=line_id).select_related("order").first()
    if line is None:
        raise NotFound(f"Line {line_id} was not found on this order.")
    return line


@orders.patch(
    "/{int:pk}/lines/{int:line_id}", response={200: OrderOut, **ERRORS}, operation_id="orders_line_update"
)
def orders_line_update(request: HttpRequest, pk: int, line_id: int, payload: OrderLinePatchIn) -> Any:
    """Change a line's quantity and/or unit price; the totals follow."""
    line = _line(request, pk, line_id)
    order_lines.order_line_change(
        line=line,
        quantity=payload.quantity,
        unit_price=amount_in(payload.unit_price, line.order.currency, "unit_price"),
        actor=request.auth,
    )
    return _qs().get(pk=pk)


@orders.delete(
    "/{int:pk}/lines/{int:line_id}", response={204: None, **ERRORS}, operation_id="orders_line_remove"
)
def orders_line_remove(request: HttpRequest, pk: int, line_id: int) -> Any:
    order_lines.order_line_remove(line=_line(request, pk, line_id), actor=request.auth)
    return Status(204, None)


@orders.get("/{int:pk}/payments", response={200: list[PaymentOut], **ERRORS}, operation_id="orders_payments")
def orders_payments(request: HttpRequest, pk: int) -> Any:
    order = acl.get_visible_or_404(request.auth, ENTITY, pk)
    return _with_base(list(order.payments.order_by("at", "id")))


@orders.post("/{int:pk}/payments", response={201: PaymentOut, **ERRORS}, operation_id="orders_payment_record")
def orders_payment_record(request: HttpRequest, pk: int, payload: PaymentIn) -> Any:
    order = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    payment = payments.order_payment_record(
        order=order, amount=payload.amount, paid_at=payload.at, actor=request.auth
    )
    return Status(201, payment)


@orders.get("/{int:pk}/refunds", response={200: list[PaymentOut], **ERRORS}, operation_id="orders_refunds")
def orders_refunds(request: HttpRequest, pk: int) -> Any:
    order = acl.get_visible_or_404(request.auth, ENTITY, pk)
    return _with_base(list(order.refunds.order_by("at", "id")))


@orders.post("/{int:pk}/refunds", response={201: PaymentOut, **ERRORS}, operation_id="orders_refund_record")
def orders_refund_record(request: HttpRequest, pk: int, payload: RefundIn) -> Any:
    order = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    refund = payments.order_refund_record(
        order=order, amount=payload.amount, refunded_at=payload.at, actor=request.auth
    )
    return Status(201, refund)


add_history_route(orders, entity=ENTITY, resource="orders")
