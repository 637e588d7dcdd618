"""Commerce's back-office API resources, mounted by the platform under /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from accord.commerce.api.customer_users import roles, users
from accord.commerce.api.customers import customers, groups
from accord.commerce.api.order_batch import batch
from accord.commerce.api.orders import orders
from accord.commerce.api.products import products
from accord.commerce.api.quotes import quotes, rfqs, shopping_lists


def register(api: NinjaAPI) -> None:
    api.add_router("/customers", customers)
    api.add_router("/customer-users", users)
    api.add_router("/customer-groups", groups)
    api.add_router("/customer-user-roles", roles)
    api.add_router("/products", products)
    api.add_router("/shopping-lists", shopping_lists)
    api.add_router("/rfqs", rfqs)
    api.add_router("/quotes", quotes)
    api.add_router("/orders/batch", batch)
    api.add_router("/orders", orders)
