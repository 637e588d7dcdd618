"""Orders: place (back office, API, demo, an accepted quote), reorder, move, internal status, delete.

The identifier is generated ("SO-000042", from the row id, so unique in the organization). The
base-currency rate is fixed when the order is placed; totals are Decimal, in cents.
Payments, refunds and cancellation are in `payments.py`; line edits of a placed order in `order_lines.py`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction

from accord.commerce import signals
from accord.commerce.models import (
    Customer,
    CustomerUser,
    InternalStatus,
    Order,
    OrderLine,
    Product,
    ProductStatus,
    Quote,
    ShoppingList,
    ShoppingListLine,
    derive_payment_status,
)
from accord.commerce.services._common import audit_actor, console_actor_id
from accord.commerce.services._documents import (
    assign_owner,
    check_customer_user,
    clean_price,
    clean_quantity,
    describe_lines,
    line_total,
    order_locked,
)
from accord.platform import audit, money
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User
from accord.platform.rows import ids_reserve, instances_insert
from accord.platform.search import search_index_add, search_index_remove, search_index_update
from accord.platform.statements import Statement

ENTITY = "commerce.order"
ENTRY_POINTS = ("console", "api", "storefront", "demo", "quote", "import")
# Which internal status may follow which; `cancelled` goes through `order_cancel`.
TRANSITIONS = {
    InternalStatus.OPEN: {InternalStatus.PROCESSING, InternalStatus.SHIPPED, InternalStatus.CLOSED},
    InternalStatus.PROCESSING: {InternalStatus.OPEN, InternalStatus.SHIPPED, InternalStatus.CLOSED},
    InternalStatus.SHIPPED: {InternalStatus.CLOSED},
    InternalStatus.CLOSED: set(),
    InternalStatus.CANCELLED: set(),
}


_PRODUCTS = Statement(
    Product, lambda ids, organization: Product.objects.filter(organization_id=organization, pk__in=ids)
)


def _products(lines: Sequence[Mapping[str, Any]], organization_id: int) -> dict[int, Product]:
    ids = sorted({int(line["product_id"]) for line in lines if line.get("product_id") is not None})
    return {product.pk: product for product in _PRODUCTS.instances(ids=ids, organization=organization_id)}


def _clean_lines(lines: Sequence[Mapping[str, Any]], organization_id: int, currency: str) -> list[OrderLine]:
    """Order lines from input rows ({product | product_id, quantity, unit_price?, sku?, name?})."""
    if not lines:
        raise ValidationFailed({"lines": "An order needs at least one line."})
    products = _products(lines, organization_id)
    errors: dict[str, str] = {}
    result = []
    for index, row in enumerate(lines):
        prefix = f"lines.{index}"
        try:
            product = row.get("product")
            if product is None and row.get("product_id") is not None:
                product = products.get(int(row["product_id"]))
                if product is None:
                    raise ValidationFailed(
                        {f"{prefix}.product_id": f"Product {row['product_id']} does not exist."}
                    )
            if product is not None and product.organization_id != organization_id:
                raise ValidationFailed(
                    {f"{prefix}.product_id": "The product belongs to another organization."}
                )
            quantity = clean_quantity(row.get("quantity"), f"{prefix}.quantity")
            price = row.get("unit_price")
            if price is None:
                if product is None or product.currency != currency:
                    raise ValidationFailed(
                        {f"{prefix}.unit_price": f"A unit price in {currency} is required."}
                    )
                price = product.unit_price
            unit_price = clean_price(price, f"{prefix}.unit_price")
            sku = (row.get("sku") or (product.sku if product else "")).strip()[:64]
            if not sku:
                raise ValidationFailed({f"{prefix}.product_id": "A product (or a SKU) is required."})
            name = (row.get("name") or (product.name if product else sku)).strip()[:255]
        except ValidationFailed as exc:
            errors.update({k: v[0] for k, v in exc.field_errors.items()})
            continue
        result.append(
            OrderLine(
                product=product,
                sku=sku,
                name=name,
                quantity=quantity,
                unit_price=unit_price,
                total=line_total(quantity, unit_price),
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return result


def _clean_po(po_number: str | None) -> str:
    po_number = (po_number or "").strip()
    if len(po_number) > 255:
        raise ValidationFailed({"po_number": "At most 255 characters."})
    return po_number


def _announce_placed(order: Order, entry_point: str, actor: Any) -> None:
    signals.announce(
        signals.order_placed,
        Order,
        order_id=order.pk,
        customer_id=order.customer_id,
        customer_user_id=order.customer_user_id,
        identifier=order.identifier,
        currency=order.currency,
        subtotal=order.subtotal,
        discount=order.discount,
        total=order.total,
        base_rate=order.base_rate,
        base_subtotal=order.base_subtotal,
        payment_status=order.payment_status,
        source_quote_id=order.source_quote_id,
        entry_point=entry_point,
        actor_id=console_actor_id(actor),
    )


def order_create(
    *,
    customer: Customer,
    customer_user: CustomerUser | None = None,
    lines: Sequence[Mapping[str, Any]],
    currency: str,
    po_number: str = "",
    discount: Decimal | int | str = Decimal("0"),
    entry_point: str,
    actor: Any,
    owner: User | None = None,
    source_quote: Quote | None = None,
) -> Order:
    """Place an order; its subtotal is the sum of the lines, its total the subtotal less the discount."""
    if entry_point not in ENTRY_POINTS:
        raise ValueError(f"Unknown entry point {entry_point!r}")
    if customer is None:
        raise ValidationFailed({"customer_id": "A customer is required."})
    check_customer_user(customer_user, customer, "customer_user_id")
    code = money.validate_currency(currency)
    order_lines = _clean_lines(lines, customer.organization_id, code)
    subtotal = sum((line.total for line in order_lines), Decimal("0.00"))
    discount = clean_price(discount, "discount").quantize(Decimal("0.01"))
    if discount > subtotal:
        raise ValidationFailed({"discount": "The discount cannot exceed the subtotal."})
    order = Order(
        customer=customer,
        customer_user=customer_user,
        po_number=_clean_po(po_number),
        currency=code,
        subtotal=subtotal,
        discount=discount,
        total=subtotal - discount,
        source_quote=source_quote,
        entry_point=entry_point,
    )
    assign_owner(order, customer=customer, actor=actor, owner=owner)
    with transaction.atomic():
        order.base_rate = money.rate_on(code)
        order.base_subtotal = money.quantize(subtotal * order.base_rate)
        order.base_total = money.quantize(order.total * order.base_rate)
        order.payment_status = derive_payment_status(total=order.total, paid=Decimal(0), refunded=Decimal(0))
        _order_insert(order)
        for line in order_lines:
            line.order = order
        OrderLine.objects.bulk_create(order_lines)
        audit.record_create(
            instance=order, actor=audit_actor(actor), extra={"lines": describe_lines(order_lines)}
        )
        search_index_add(entity=ENTITY, ids=[order.pk])
        _announce_placed(order, entry_point, actor)
    return order


def _order_insert(order: Order) -> None:
    """Write the new order with its identifier, which derives from its key: the key reserved first
    on PostgreSQL, else the row written with a placeholder and renamed."""
    reserved = ids_reserve(Order, 1)
    if reserved:
        order.pk = reserved[0]
        order.identifier = f"SO-{order.pk:06d}"
        instances_insert([order])
        return
    order.identifier = f"new-{uuid.uuid4().hex}"
    instances_insert([order])
    order.identifier = f"SO-{order.pk:06d}"
    Order.objects.filter(pk=order.pk).update(identifier=order.identifier)


def order_reorder(*, order: Order, customer_user: CustomerUser, actor: Any) -> ShoppingList:
    """A new shopping list of the customer user with the order's products that can still be ordered."""
    from accord.commerce.services.shopping_lists import shopping_list_create

    lines = list(
        order.lines.filter(product__isnull=False, product__status=ProductStatus.ENABLED)
        .select_related("product")
        .order_by("id")
    )
    if not lines:
        raise Conflict("None of the order's products can be ordered any more.")
    quantities: dict[int, Decimal] = {}
    for line in lines:
        assert line.product_id is not None
        quantities[line.product_id] = quantities.get(line.product_id, Decimal(0)) + line.quantity
    with transaction.atomic():
        shopping_list = shopping_list_create(
            customer_user=customer_user, name=f"Reorder of {order.identifier}", actor=actor
        )
        ShoppingListLine.objects.bulk_create(
            ShoppingListLine(shopping_list=shopping_list, product_id=pk, quantity=qty)
            for pk, qty in quantities.items()
        )
    return shopping_list


def order_status_set(*, order: Order, status: str, actor: Any) -> Order:
    """Change the internal status along the allowed transitions (cancelling: see `order_cancel`)."""
    if status not in InternalStatus.values:
        raise ValidationFailed({"status": f"Choose one of: {', '.join(InternalStatus.values)}."})
    if status == InternalStatus.CANCELLED:
        from accord.commerce.services.payments import order_cancel

        return order_cancel(order=order, actor=actor)
    with transaction.atomic():
        order = order_locked(order)
        if status == order.internal_status:
            return order
        if status not in TRANSITIONS[InternalStatus(order.internal_status)]:
            now = order.get_internal_status_display().lower()
            raise ValidationFailed({"status": f"An order that is {now} cannot become {status}."})
        with audit.tracking(order, actor=audit_actor(actor)):
            order.internal_status = status
            order.save()
    return order


def order_move(*, order: Order, customer: Customer, actor: Any) -> Order:
    """Give the order to another customer; its customer user stays only if it belongs to that customer."""
    with transaction.atomic():
        order = order_locked(order)
        if customer is None:
            raise ValidationFailed({"customer_id": "A customer is required."})
        if customer.organization_id != order.organization_id:
            raise ValidationFailed({"customer_id": "The customer belongs to another organization."})
        if customer.pk == order.customer_id:
            return order
        old_customer_id, old_user_id = order.customer_id, order.customer_user_id
        with audit.tracking(order, actor=audit_actor(actor)):
            order.customer = customer
            user = order.customer_user
            if user is not None and user.customer_id != customer.pk:
                order.customer_user = None
            order.save()
        search_index_update(entity=ENTITY, ids=[order.pk])
        signals.announce(
            signals.order_moved,
            Order,
            order_id=order.pk,
            old_customer_id=old_customer_id,
            new_customer_id=customer.pk,
            old_customer_user_id=old_user_id,
            new_customer_user_id=order.customer_user_id,
            payment_status=order.payment_status,
            currency=order.currency,
            subtotal=order.subtotal,
            base_subtotal=order.base_subtotal,
            actor_id=console_actor_id(actor),
        )
    return order


def order_delete(*, order: Order, actor: Any) -> None:
    """Delete an order with its lines, payments and refunds; listeners hear before the row goes."""
    with transaction.atomic():
        order = order_locked(order)
        signals.announce(
            signals.order_deleted,
            Order,
            order_id=order.pk,
            customer_id=order.customer_id,
            identifier=order.identifier,
            currency=order.currency,
            subtotal=order.subtotal,
            base_subtotal=order.base_subtotal,
            payment_status=order.payment_status,
            paid_amount=order.paid_amount,
            refunded_amount=order.refunded_amount,
            actor_id=console_actor_id(actor),
        )
        audit.record_delete(instance=order, actor=audit_actor(actor))
        pk = order.pk
        order.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
