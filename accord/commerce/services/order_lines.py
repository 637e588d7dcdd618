"""Line edits of a placed order (decision 0037): add, change, remove while it is open or processing;
totals, payment status, audit and events follow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from accord.commerce.models import InternalStatus, Order, OrderLine, Product
from accord.commerce.services._common import audit_actor
from accord.commerce.services._documents import clean_price, clean_quantity, line_total, order_locked
from accord.commerce.services.orders import _clean_lines
from accord.platform import audit, money
from accord.platform.errors import Conflict, ValidationFailed

EDITABLE = (InternalStatus.OPEN, InternalStatus.PROCESSING)


def _line_text(line: OrderLine | None) -> str | None:
    return None if line is None else f"{line.quantity.normalize():f} × {line.unit_price.normalize():f}"


def _lines_changed(
    order: Order, key: str, old: OrderLine | None, new: OrderLine | None, field: str, actor: Any
) -> Order:
    """Totals follow the lines; refused when payments or the discount exceed them. Audited, announced."""
    from accord.commerce.services.payments import _announce_change, _status_of

    subtotal = sum(order.lines.values_list("total", flat=True), Decimal("0.00"))
    if order.discount > subtotal:
        raise ValidationFailed(
            {
                field: f"The discount ({order.discount} {order.currency}) would exceed "
                f"the new subtotal {subtotal}."
            }
        )
    if order.paid_amount > subtotal - order.discount:
        raise ValidationFailed(
            {
                field: f"{order.paid_amount} {order.currency} was paid on this order; its total cannot "
                f"become less ({subtotal - order.discount})."
            }
        )
    old_status = order.payment_status
    with audit.tracking(order, actor=audit_actor(actor)) as extra:
        order.subtotal, order.total = subtotal, subtotal - order.discount
        order.base_subtotal = money.quantize(subtotal * order.base_rate)
        order.base_total = money.quantize(order.total * order.base_rate)
        order.payment_status = _status_of(order)
        order.save()
        extra[f"lines.{key}"] = {"old": _line_text(old), "new": _line_text(new)}
    if order.payment_status != old_status:
        _announce_change(order, old_status, actor)
    return order


def _editable(order: Order) -> Order:
    order = order_locked(order)
    if order.internal_status not in EDITABLE:
        now = order.get_internal_status_display().lower()
        raise Conflict(f"The lines of an order that is {now} cannot change.")
    return order


def order_line_add(
    *,
    order: Order,
    product: Product | None = None,
    quantity: Decimal | int | str,
    unit_price: Decimal | str | None = None,
    sku: str = "",
    name: str = "",
    actor: Any,
) -> OrderLine:
    """Add a line to an open or processing order (same rules as a line of a new order)."""
    row: dict[str, Any] = {"product": product, "quantity": quantity, "sku": sku, "name": name}
    if unit_price is not None:
        row["unit_price"] = unit_price
    with transaction.atomic():
        order = _editable(order)
        try:
            [line] = _clean_lines([row], order.organization_id, order.currency)
        except ValidationFailed as exc:
            raise ValidationFailed(
                {k.removeprefix("lines.0."): v for k, v in exc.field_errors.items()}
            ) from None
        line.order = order
        line.save()
        _lines_changed(order, f"{line.sku}#{line.pk}", None, line, "quantity", actor)
    return line


def order_line_change(
    *,
    line: OrderLine,
    quantity: Decimal | int | str | None = None,
    unit_price: Decimal | str | None = None,
    actor: Any,
) -> OrderLine:
    """Change the quantity and/or unit price of a line of an open or processing order."""
    with transaction.atomic():
        order = _editable(line.order)
        line = OrderLine.objects.get(pk=line.pk, order=order)
        before = OrderLine(quantity=line.quantity, unit_price=line.unit_price)
        if quantity is not None:
            line.quantity = clean_quantity(quantity)
        if unit_price is not None:
            line.unit_price = clean_price(unit_price, "unit_price")
        if (line.quantity, line.unit_price) == (before.quantity, before.unit_price):
            return line
        line.total = line_total(line.quantity, line.unit_price)
        line.save(update_fields=["quantity", "unit_price", "total"])
        field = "quantity" if quantity is not None else "unit_price"
        _lines_changed(order, f"{line.sku}#{line.pk}", before, line, field, actor)
    return line


def order_line_remove(*, line: OrderLine, actor: Any) -> Order:
    """Remove a line (not the last one: cancel or delete the order instead)."""
    with transaction.atomic():
        order = _editable(line.order)
        line = OrderLine.objects.get(pk=line.pk, order=order)
        if not order.lines.exclude(pk=line.pk).exists():
            raise ValidationFailed({"line_id": "An order keeps at least one line; cancel the order instead."})
        key = f"{line.sku}#{line.pk}"
        line.delete()
        return _lines_changed(order, key, line, None, "line_id", actor)
