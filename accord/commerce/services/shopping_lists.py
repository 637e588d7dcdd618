"""Shopping lists of customer users: create, rename, delete, and their lines (one per product).

Adding a product already on the list adds to that line's quantity. The storefront decides
whether the acting customer user may (storefront ACL); these services hold the rules.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from accord.commerce.models import CustomerUser, Product, ShoppingList, ShoppingListLine
from accord.commerce.services._common import audit_actor, clean_name
from accord.commerce.services._documents import assign_owner, check_product, clean_quantity
from accord.platform import audit
from accord.platform.errors import ValidationFailed

ENTITY = "commerce.shopping_list"


def shopping_list_create(*, customer_user: CustomerUser, name: str, actor: Any = None) -> ShoppingList:
    """A new, empty list of the customer user (at its customer)."""
    if customer_user is None:
        raise ValidationFailed({"customer_user_id": "A customer user is required."})
    name = clean_name(name)
    customer = customer_user.customer
    shopping_list = ShoppingList(name=name, customer=customer, customer_user=customer_user)
    assign_owner(shopping_list, customer=customer, actor=actor)
    with transaction.atomic():
        shopping_list.save()
        audit.record_create(instance=shopping_list, actor=audit_actor(actor))
    return shopping_list


def shopping_list_rename(*, shopping_list: ShoppingList, name: str, actor: Any) -> ShoppingList:
    name = clean_name(name)
    with transaction.atomic():
        shopping_list = ShoppingList.objects.select_for_update().get(pk=shopping_list.pk)
        with audit.tracking(shopping_list, actor=audit_actor(actor)):
            shopping_list.name = name
            shopping_list.save()
    return shopping_list


def shopping_list_delete(*, shopping_list: ShoppingList, actor: Any) -> None:
    """Delete a list with its lines; RFQs submitted from it stay (they copied the lines)."""
    with transaction.atomic():
        audit.record_delete(instance=shopping_list, actor=audit_actor(actor))
        shopping_list.delete()


def _qty(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def _record_line_change(
    shopping_list: ShoppingList, sku: str, old: Decimal | None, new: Decimal | None, actor: Any
) -> None:
    """The change of one line, in the list's history; the list's `updated_at` moves too."""
    before = audit.snapshot(shopping_list)
    shopping_list.save(update_fields=["updated_at"])
    audit.record_update(
        instance=shopping_list,
        actor=audit_actor(actor),
        before=before,
        extra={f"lines.{sku}": {"old": _qty(old), "new": _qty(new)}},
    )


def shopping_list_item_add(
    *, shopping_list: ShoppingList, product: Product, quantity: Decimal | int | str, actor: Any
) -> ShoppingListLine:
    """Put a product on the list; when it is there already, add to its quantity."""
    quantity = clean_quantity(quantity)
    product = check_product(product, shopping_list.organization_id, "product_id")
    with transaction.atomic():
        shopping_list = ShoppingList.objects.select_for_update().get(pk=shopping_list.pk)
        line = ShoppingListLine.objects.filter(shopping_list=shopping_list, product=product).first()
        old = line.quantity if line else None
        if line is None:
            line = ShoppingListLine.objects.create(
                shopping_list=shopping_list, product=product, quantity=quantity
            )
        else:
            line.quantity = clean_quantity(line.quantity + quantity)
            line.save(update_fields=["quantity"])
        _record_line_change(shopping_list, product.sku, old, line.quantity, actor)
    return line


def shopping_list_item_set_quantity(
    *, item: ShoppingListLine, quantity: Decimal | int | str, actor: Any
) -> ShoppingListLine:
    quantity = clean_quantity(quantity)
    with transaction.atomic():
        shopping_list = ShoppingList.objects.select_for_update().get(pk=item.shopping_list_id)
        line = ShoppingListLine.objects.select_related("product").get(pk=item.pk)
        old, line.quantity = line.quantity, quantity
        line.save(update_fields=["quantity"])
        if old != quantity:
            _record_line_change(shopping_list, line.product.sku, old, quantity, actor)
    return line


def shopping_list_item_remove(*, item: ShoppingListLine, actor: Any) -> None:
    with transaction.atomic():
        shopping_list = ShoppingList.objects.select_for_update().get(pk=item.shopping_list_id)
        line = ShoppingListLine.objects.select_related("product").get(pk=item.pk)
        sku, old = line.product.sku, line.quantity
        line.delete()
        _record_line_change(shopping_list, sku, old, None, actor)
