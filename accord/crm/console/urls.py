"""Console URLs of the CRM, discovered by the platform's console.

`RESOURCES` lists "module:ClassName" of each ConsoleResource and `EXTRA` "module:attribute" of
further URL pattern lists; each part of the app appends its own lines.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.urls import URLPattern

RESOURCES: list[str] = [
    "accord.crm.console.accounts:AccountResource",
    "accord.crm.console.contacts:ContactResource",
    "accord.crm.console.contact_groups:ContactGroupResource",
    "accord.crm.console.channels:ChannelResource",
    "accord.crm.console.merges:MergeResource",
]
EXTRA: list[str] = [
    "accord.crm.console.accounts:extra_urls",
    "accord.crm.console.merges:urls",
]


def _load(spec: str) -> Any:
    module, name = spec.split(":")
    return getattr(import_module(module), name)


urlpatterns: list[URLPattern] = [pattern for spec in RESOURCES for pattern in _load(spec)().urls()]
urlpatterns += [pattern for spec in EXTRA for pattern in _load(spec)]
RESOURCES.append("accord.crm.console.business_customers:BusinessCustomerResource")
RESOURCES.append("accord.crm.console.leads:LeadResource")
RESOURCES.append("accord.crm.console.opportunities:OpportunityResource")
EXTRA.append("accord.crm.console.opportunities:extra_urls")
urlpatterns += [pattern for spec in RESOURCES[-3:] for pattern in _load(spec)().urls()]
urlpatterns += [pattern for spec in EXTRA[-1:] for pattern in _load(spec)]
