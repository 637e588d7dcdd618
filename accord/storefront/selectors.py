"""The storefront's base querysets of commerce documents (the ACL filters them; these only join).

Quotes: buyers see the quotes that were offered to them, never a sales rep's draft."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from accord.commerce.models import Order, Product, ProductStatus, Quote, QuoteStatus, Rfq, ShoppingList

SHOPPING_LIST = "commerce.shopping_list"
RFQ = "commerce.rfq"
QUOTE = "commerce.quote"
ORDER = "commerce.order"


def shopping_lists() -> QuerySet[ShoppingList]:
    return ShoppingList.objects.select_related("customer", "customer_user").annotate(
        line_count=Count("lines")
    )


def rfqs() -> QuerySet[Rfq]:
    return Rfq.objects.select_related("customer", "customer_user").annotate(line_count=Count("lines"))


def quotes() -> QuerySet[Quote]:
    return Quote.objects.exclude(status=QuoteStatus.DRAFT).select_related("customer", "customer_user")


def orders() -> QuerySet[Order]:
    return Order.objects.select_related("customer", "customer_user")


def products(organization_id: int, q: str = "") -> QuerySet[Product]:
    """What a buyer can put on a list: the enabled products of its organization."""
    qs = Product.objects.filter(organization_id=organization_id, status=ProductStatus.ENABLED)
    if q:
        qs = qs.filter(Q(sku__icontains=q) | Q(name__icontains=q))
    return qs.order_by("name", "id")


def with_lines(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.prefetch_related("lines")
