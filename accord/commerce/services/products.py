"""Products: SKU (unique in the organization), name, unit price and currency, status."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from accord.commerce.models import Product, ProductStatus
from accord.commerce.services._common import clean_choice, clean_name
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "commerce.product"


def _clean_sku(sku: str | None) -> str:
    sku = (sku or "").strip()
    if not sku:
        raise ValidationFailed({"sku": "A SKU is required."})
    if len(sku) > 64:
        raise ValidationFailed({"sku": "At most 64 characters."})
    return sku


def _clean_price(value: Any, field: str = "unit_price.amount") -> Decimal:
    try:
        price = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed({field: "Not a number."}) from None
    if not price.is_finite() or price < 0:
        raise ValidationFailed({field: "A price cannot be negative."})
    if price.as_tuple().exponent < -4 or abs(price) >= Decimal("1e14"):  # type: ignore[operator]
        raise ValidationFailed({field: "At most 14 digits before and 4 after the decimal point."})
    return price


def _clean_currency(value: str | None, field: str = "unit_price.currency") -> str:
    code = (value or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationFailed({field: "A three-letter ISO 4217 currency code."})
    return code


def _check_unique(organization_id: int, sku: str, exclude_pk: int | None = None) -> None:
    clash = Product.objects.filter(organization_id=organization_id, sku__iexact=sku)
    if clash.exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"sku": "Another product has this SKU."})


def product_create(
    *,
    sku: str,
    name: str,
    unit_price: Decimal | str,
    currency: str,
    status: str = ProductStatus.ENABLED,
    actor: Any,
) -> Product:
    product = Product(
        organization_id=actor.organization_id,
        sku=_clean_sku(sku),
        name=clean_name(name),
        unit_price=_clean_price(unit_price),
        currency=_clean_currency(currency),
        status=clean_choice(status, ProductStatus, "status") or ProductStatus.ENABLED,
    )
    with transaction.atomic():
        _check_unique(product.organization_id, product.sku)
        product.save()
        audit.record_create(instance=product, actor=actor)
        search_index_update(entity=ENTITY, ids=[product.pk])
    return product


def product_update(
    *,
    product: Product,
    actor: Any,
    sku: str | None = None,
    name: str | None = None,
    unit_price: Decimal | str | None = None,
    currency: str | None = None,
    status: str | None = None,
) -> Product:
    with transaction.atomic():
        product = Product.objects.select_for_update().get(pk=product.pk)
        with audit.tracking(product, actor=actor):
            if sku is not None:
                product.sku = _clean_sku(sku)
                _check_unique(product.organization_id, product.sku, exclude_pk=product.pk)
            if name is not None:
                product.name = clean_name(name)
            if unit_price is not None:
                product.unit_price = _clean_price(unit_price)
            if currency is not None:
                product.currency = _clean_currency(currency)
            if status is not None:
                product.status = clean_choice(status, ProductStatus, "status") or product.status
            product.save()
        search_index_update(entity=ENTITY, ids=[product.pk])
    return product


def product_delete(*, product: Product, actor: Any) -> None:
    with transaction.atomic():
        audit.record_delete(instance=product, actor=actor)
        pk = product.pk
        product.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
