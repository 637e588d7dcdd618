"""Console URLs of commerce, discovered by the platform's console."""

from __future__ import annotations

from django.urls import URLPattern

from accord.commerce.console.customer_users import CustomerUserResource
from accord.commerce.console.customers import CustomerResource
from accord.commerce.console.groups_roles import CustomerGroupResource, CustomerUserRoleResource
from accord.commerce.console.products import ProductResource

RESOURCES = [
    CustomerResource(),
    CustomerUserResource(),
    CustomerGroupResource(),
    CustomerUserRoleResource(),
    ProductResource(),
]

urlpatterns: list[URLPattern] = [pattern for resource in RESOURCES for pattern in resource.urls()]
