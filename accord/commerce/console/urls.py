"""Console URLs of commerce, discovered by the platform's console."""

from __future__ import annotations

from django.urls import URLPattern

from accord.commerce.console import actions
from accord.commerce.console.customer_users import CustomerUserResource
from accord.commerce.console.customers import CustomerResource
from accord.commerce.console.documents import QuoteResource, RfqResource, ShoppingListResource
from accord.commerce.console.groups_roles import CustomerGroupResource, CustomerUserRoleResource
from accord.commerce.console.orders import OrderResource
from accord.commerce.console.products import ProductResource

RESOURCES = [
    CustomerResource(),
    CustomerUserResource(),
    CustomerGroupResource(),
    CustomerUserRoleResource(),
    ProductResource(),
    ShoppingListResource(),
    RfqResource(),
    QuoteResource(),
    OrderResource(),
]

urlpatterns: list[URLPattern] = [
    *actions.urlpatterns,
    *(pattern for resource in RESOURCES for pattern in resource.urls()),
]
