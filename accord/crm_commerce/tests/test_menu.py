"""Issue 5 "Combined menu": with both halves installed, the console's Customers and Sales sections
hold the entries of CRM and commerce, nothing twice, and every entry opens for an administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import RequestFactory

from accord.platform.console.menu import build_menu
from accord.platform.models import User
from accord.platform.registries import module_installed

pytestmark = pytest.mark.django_db

CUSTOMERS = ["Accounts", "Contacts", "Customers", "Customer users", "Customer groups", "Customer user roles"]
SALES = ["Leads", "Opportunities", "RFQs", "Quotes", "Orders"]


def _menu(user: User) -> dict[str, list[tuple[str, str]]]:
    request = RequestFactory().get("/console/")
    request.user = user
    return {
        section.label: [(item.label, item.url) for item in section.items] for section in build_menu(request)
    }


def test_customers_and_sales_sections_combine_both_halves_once_and_every_link_opens(
    admin: User, make_customer: Callable[..., Any], console_as: Callable[[User], Any]
) -> None:
    for module in ("crm", "commerce", "crm_commerce"):
        assert module_installed(module)
    make_customer("Acme")  # the bridge's commerce channel becomes active: leads and opportunities show
    menu = _menu(admin)

    customers = [label.lower() for label, _ in menu["Customers"]]
    sales = [label.lower() for label, _ in menu["Sales"]]
    assert [x for x in customers if x in {c.lower() for c in CUSTOMERS}] == [c.lower() for c in CUSTOMERS]
    assert [x for x in sales if x in {s.lower() for s in SALES}] == [s.lower() for s in SALES]
    entries = [entry for items in menu.values() for entry in items]
    labels, urls = [label.lower() for label, _ in entries], [url for _, url in entries]
    assert len(labels) == len(set(labels)), labels
    assert len(urls) == len(set(urls)), urls

    client = console_as(admin)
    for label, url in menu["Customers"] + menu["Sales"]:
        assert client.get(url).status_code == 200, (label, url)
    dashboard = client.get("/console/").content.decode()
    for _, url in menu["Customers"] + menu["Sales"]:
        assert f'href="{url}"' in dashboard


def test_a_commerce_only_role_sees_the_commerce_entries_and_no_crm_one(
    make_user: Callable[..., User], make_customer: Callable[..., Any]
) -> None:
    make_customer("Acme")
    menu = _menu(make_user("shopkeeper", roles=["commerce_manager"]))
    customers = [label for label, _ in menu.get("Customers", [])]
    assert "Customers" in customers
    assert "Accounts" not in customers
    assert "Leads" not in [label for label, _ in menu.get("Sales", [])]
