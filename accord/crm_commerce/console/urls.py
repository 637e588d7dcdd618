"""Console URLs of the bridge, discovered by the platform's console."""

from __future__ import annotations

from django.urls import URLPattern, path

from accord.crm_commerce import sections
from accord.crm_commerce.console import opportunity_quotes, views

urlpatterns: list[URLPattern] = [
    path("crm-commerce/account-strategy/", views.account_strategy, name="crm_commerce_strategy"),
    path("crm-commerce/customers/", views.customer_accounts, name="crm_commerce_customers"),
    path(
        "crm-commerce/customers/<int:pk>/account/",
        views.customer_account,
        name="crm_commerce_customer_account",
    ),
    path(
        "crm-commerce/accounts/<int:pk>/channels/<int:channel_pk>/section/",
        sections.account_section_view,
        name="crm_commerce_account_section",
    ),
    *opportunity_quotes.urlpatterns,
]
