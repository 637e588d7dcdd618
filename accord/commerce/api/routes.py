"""Commerce's back-office API resources, mounted by the platform under /api/v1/."""

from __future__ import annotations

from ninja import NinjaAPI

from accord.commerce.api.customer_users import roles, users
from accord.commerce.api.customers import customers, groups
from accord.commerce.api.products import products


def register(api: NinjaAPI) -> None:
    api.add_router("/customers", customers)
    api.add_router("/customer-users", users)
    api.add_router("/customer-groups", groups)
    api.add_router("/customer-user-roles", roles)
    api.add_router("/products", products)
