"""Console URLs of the bridge, discovered by the platform's console."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.crm_commerce.console import opportunity_quotes, views

urlpatterns: list[URLPattern] = [
    path("crm-commerce/account-strategy/", views.account_strategy, name="crm_commerce_strategy"),
    path("crm-commerce/customers/", views.customer_accounts, name="crm_commerce_customers"),
    path(
        "crm-commerce/customers/<int:pk>/account/",
        views.customer_account,
        name="crm_commerce_customer_account",
    ),
    *opportunity_quotes.urlpatterns,
]
