"""The CRM's back-office API resources, mounted by the platform under /api/v1/.

`ROUTERS` lists (prefix, module, router name); each part of the app appends its own lines.
"""

from __future__ import annotations

from importlib import import_module

from ninja import NinjaAPI

ROUTERS: list[tuple[str, str, str]] = [
    ("/accounts", "accord.crm.api.accounts", "accounts"),
    ("/contacts", "accord.crm.api.contacts", "contacts"),
    ("/contact-groups", "accord.crm.api.contact_groups", "contact_groups"),
    ("/channels", "accord.crm.api.channels", "channels"),
    ("/accounts", "accord.crm.api.merges", "account_merge"),
    ("/merges", "accord.crm.api.merges", "merges"),
    ("/contacts", "accord.crm.api.merges", "contact_merge"),
]


def register(api: NinjaAPI) -> None:
    for prefix, module, name in ROUTERS:
        api.add_router(prefix, getattr(import_module(module), name))


ROUTERS.append(("/business-customers", "accord.crm.api.business_customers", "business_customers"))
ROUTERS.append(("/leads", "accord.crm.api.leads", "leads"))
ROUTERS.append(("/opportunities", "accord.crm.api.opportunities", "opportunities"))
ROUTERS.append(("/forecast", "accord.crm.api.sales_reports", "forecast_router"))
ROUTERS.append(("/accounts", "accord.crm.api.sales_reports", "lifetime_router"))
