"""Console pages for products."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.commerce.console.forms import ProductForm
from accord.commerce.models import Product, ProductStatus
from accord.commerce.services import products as services
from accord.platform.console.crud import ConsoleResource, Section
from accord.platform.console.grid import Column, Filter, Grid


class ProductGrid(Grid):
    entity = "commerce.product"
    export_name = "products"
    default_sort = "sku"
    search_fields = ("sku", "name")
    columns = (
        Column("sku", "SKU", sort="sku", link=True),
        Column("name", "Name", sort="name"),
        Column("unit_price", "Unit price", kind="money", sort="unit_price"),
        Column("currency", "Currency", sort="currency"),
        Column("status", "Status", value="get_status_display", kind="badge", sort="status"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(ProductStatus.choices)),
        Filter("unit_price", "Unit price", kind="number_range"),
    )


class ProductResource(ConsoleResource):
    entity = "commerce.product"
    name = "products"
    grid = ProductGrid
    form = ProductForm

    def initial(self, request: HttpRequest, obj: Product) -> dict[str, Any]:
        return {
            "sku": obj.sku,
            "name": obj.name,
            "unit_price": obj.unit_price,
            "currency": obj.currency,
            "status": obj.status,
        }

    def sections(self, request: HttpRequest, obj: Product) -> list[Section]:
        return [
            Section(
                "Product",
                [
                    ("SKU", obj.sku),
                    ("Name", obj.name),
                    ("Unit price", f"{obj.unit_price:.2f} {obj.currency}"),
                    ("Status", obj.get_status_display()),
                ],
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Product:
        return services.product_create(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: Product, data: dict[str, Any]) -> Product:
        return services.product_update(product=obj, actor=request.user, **data)

    def delete(self, request: HttpRequest, obj: Product) -> None:
        services.product_delete(product=obj, actor=request.user)
