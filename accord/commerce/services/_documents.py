"""What the document services (shopping lists, RFQs, quotes, orders) share."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from accord.commerce import storefront_acl as sacl
from accord.commerce.models import Customer, CustomerUser, Order, Product, ProductStatus, StorefrontLevel
from accord.commerce.services._common import clean_decimal, set_owner
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.statements import Statement

CENT = Decimal("0.01")
_ORDER_LOCKED = Statement(Order, lambda pk: Order.objects.select_for_update().filter(pk=pk))


def order_locked(order: Order) -> Order:
    """The order's row, read again and locked until the transaction ends (every payment takes it)."""
    found = _ORDER_LOCKED.instances(pk=order.pk)
    if not found:
        raise Order.DoesNotExist(f"Order {order.pk} no longer exists.")
    return found[0]


def assign_owner(document: Any, *, customer: Customer, actor: Any, owner: User | None = None) -> None:
    """Owner: the one given, the acting console user, or (storefront, system) the customer's owner."""
    chosen = owner or (actor if isinstance(actor, User) else None)
    if chosen is not None:
        if chosen.organization_id != customer.organization_id:
            raise ValidationFailed({"customer_id": "The customer belongs to another organization."})
        if chosen.business_unit_id is None:
            raise ValidationFailed({"owner_id": "The owner has no business unit."})
        set_owner(document, chosen)
        return
    document.owner_id = customer.owner_id
    document.business_unit_id = customer.business_unit_id
    document.organization_id = customer.organization_id


def check_customer_user(customer_user: CustomerUser | None, customer: Customer, field: str) -> None:
    if customer_user is not None and customer_user.customer_id != customer.pk:
        raise ValidationFailed({field: "The customer user belongs to another customer."})


_REACH = {
    StorefrontLevel.NONE: "its role does not allow it",
    StorefrontLevel.USER: "its role reaches only its own records",
    StorefrontLevel.DEPARTMENT: "its role reaches only the records of its own customer",
    StorefrontLevel.CORPORATE: "its role reaches only its own customer and that customer's subsidiaries",
}


def storefront_reach_error(
    customer_user: CustomerUser, key: str, action: str, *, customer: Customer, owner_id: int | None
) -> str | None:
    """Why a record of `customer` owned by `owner_id` is outside the user's storefront reach, or None.

    The storefront levels (oro-spec §2.6): User = own records, Department = its customer's,
    Corporate = its customer's and every descendant's; never a parent's or a sibling's.
    """
    level = sacl.level_for(customer_user, key, action)
    if level == StorefrontLevel.USER:
        inside = owner_id is not None and owner_id == customer_user.pk
    elif level in (StorefrontLevel.DEPARTMENT, StorefrontLevel.CORPORATE):
        inside = sacl.visible_customer_ids(customer_user, key, action).filter(pk=customer.pk).exists()
    else:
        inside = False
    if inside:
        return None
    if not customer_user.enabled:
        return f"{customer_user} is disabled."
    return f"{customer_user} cannot act for {customer.name}: {_REACH[level]}."


def clean_quantity(value: Any, field: str = "quantity") -> Decimal:
    return clean_decimal(value, field=field, places=3, strict=True, digits=11)


def clean_price(value: Any, field: str) -> Decimal:
    return clean_decimal(value, field=field, places=4, digits=14)


def clean_amount(value: Any, field: str = "amount") -> Decimal:
    """A payment or refund amount: more than zero, in cents."""
    return clean_decimal(value, field=field, places=2, strict=True, digits=16)


def check_product(product: Product | None, organization_id: int, field: str) -> Product:
    if product is None:
        raise ValidationFailed({field: "A product is required."})
    if product.organization_id != organization_id:
        raise ValidationFailed({field: "The product belongs to another organization."})
    if product.status != ProductStatus.ENABLED:
        raise ValidationFailed({field: f"The product {product.sku} is disabled."})
    return product


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(CENT)


def describe_lines(lines: Iterable[Any]) -> list[str]:
    """A stable, readable form of document lines for the audit."""
    return [f"{line.sku} × {line.quantity.normalize():f}" for line in lines]
