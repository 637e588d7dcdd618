"""/api/v1/products."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.api.schemas import ProductIn, ProductOut, ProductPatchIn
from accord.commerce.models import Product
from accord.commerce.services import products as services
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate

products = Router(tags=["products"])
ENTITY = "commerce.product"


@products.get("", response={200: page_of(ProductOut), **ERRORS}, operation_id="products_list")
def products_list(
    request: HttpRequest,
    params: Query[ListParams],
    sku: str | None = None,
    name: str | None = None,
    status: str | None = None,
    currency: str | None = None,
) -> Any:
    qs = acl.visible(request.auth, ENTITY, Product.objects.all())
    if sku:
        qs = qs.filter(sku__icontains=sku)
    if name:
        qs = qs.filter(name__icontains=name)
    if status:
        qs = qs.filter(status=status)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return paginate(qs, params, sorts=("id", "sku", "name", "unit_price", "created_at"), default_sort="sku")


@products.get("/{int:pk}", response={200: ProductOut, **ERRORS}, operation_id="products_get")
def products_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk)


@products.post("", response={201: ProductOut, **ERRORS}, operation_id="products_create")
def products_create(request: HttpRequest, payload: ProductIn) -> Any:
    acl.require(request.auth, ENTITY, "create")
    product = services.product_create(
        sku=payload.sku,
        name=payload.name,
        unit_price=payload.unit_price.amount,
        currency=payload.unit_price.currency,
        status=payload.status,
        actor=request.auth,
    )
    return Status(201, product)


@products.patch("/{int:pk}", response={200: ProductOut, **ERRORS}, operation_id="products_update")
def products_update(request: HttpRequest, pk: int, payload: ProductPatchIn) -> Any:
    product = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    price = payload.unit_price if data.get("unit_price") is not None else None
    return services.product_update(
        product=product,
        sku=data.get("sku"),
        name=data.get("name"),
        unit_price=price.amount if price else None,
        currency=price.currency if price else None,
        status=data.get("status"),
        actor=request.auth,
    )


@products.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="products_delete")
def products_delete(request: HttpRequest, pk: int) -> Any:
    product = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.product_delete(product=product, actor=request.auth)
    return Status(204, None)


add_history_route(products, entity=ENTITY, resource="products")
