"""GET /api/v1/leads, /business-customers and /opportunities build their rows from columns (decision
0087): the same items as the detail, in a number of queries that does not grow with the page, and only the
records the caller may view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.crm.api.sales_schemas import BusinessCustomerOut, LeadOut, OpportunityOut
from accord.crm.models import Account, BusinessCustomer, Lead, Opportunity
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.leads import lead_create
from accord.crm.services.opportunities import opportunity_close_won
from accord.platform.models import AccessLevel, User

POINTS: dict[str, Any] = {
    "emails": [{"email": "a@example.com"}, {"email": "b@example.com", "primary": True}],
    "phones": [{"phone": "+1 555 0100", "primary": True}, {"phone": "+1 555 0101"}],
    "addresses": [
        {"kind": "shipping", "street": "1 Main", "city": "Oslo", "country": "no"},
        {"kind": "billing", "street": "2 Side", "city": "Bergen", "country": "no", "primary": True},
    ],
}


def _same_as_detail(api: Any, path: str, items: list[dict[str, Any]], schema: Any) -> None:
    for item in items:
        assert item == api.get(f"{path}/{item['id']}").json()
        assert set(item) == set(schema.model_fields)


def test_lead_rows_are_the_details_items(
    api_as: Any, admin: User, make_account: Callable[..., Account]
) -> None:
    hub = customer_association_for_account(account=make_account("Acme"))
    linked = lead_create(name="Move", first_name="Olivia", customer_association=hub, actor=admin, **POINTS)
    bare = lead_create(name="Bare", company_name="Solo", actor=admin)

    api = api_as(admin)
    items = api.get("leads", sort="name").json()["items"]

    assert [item["id"] for item in items] == [bare.pk, linked.pk]
    _same_as_detail(api, "leads", items, LeadOut)
    assert (items[0]["account_id"], items[1]["account_id"]) == (None, hub.account_id)
    assert [e["email"] for e in items[1]["emails"]] == ["b@example.com", "a@example.com"]  # primary first
    assert [(a["city"], a["primary"]) for a in items[1]["addresses"]] == [("Bergen", True), ("Oslo", False)]


def test_business_customer_rows_are_the_details_items(
    api_as: Any, admin: User, make_account: Callable[..., Account], make_bc: Callable[..., BusinessCustomer]
) -> None:
    account = make_account("Acme")
    rich = make_bc("Acme Buying", account, **POINTS)
    make_bc("Acme Bare", account)
    BusinessCustomer.objects.filter(pk=rich.pk).update(lifetime=Decimal("1234.5"))

    api = api_as(admin)
    items = api.get("business-customers", sort="-lifetime").json()["items"]

    _same_as_detail(api, "business-customers", items, BusinessCustomerOut)
    assert items[0]["lifetime"] == {"amount": "1234.50", "currency": "USD"}
    assert items[1]["lifetime"] == {"amount": "0.00", "currency": "USD"}
    assert all(item["customer_association_id"] is not None for item in items)
    assert items[1]["emails"] == []


def test_opportunity_rows_are_the_details_items(
    api_as: Any,
    admin: User,
    eur_rate: None,
    make_account: Callable[..., Account],
    make_bc: Callable[..., BusinessCustomer],
    make_opportunity: Callable[..., Opportunity],
) -> None:
    account = make_account("Acme")
    won = make_opportunity("Won", customer=make_bc("Acme Buying", account), budget="1200.5", currency="EUR")
    opportunity_close_won(opportunity=won, close_date=dt.date(2026, 4, 1), actor=admin)
    make_opportunity("Open", account=account, budget="99", status="negotiation")
    make_opportunity("Bare", account=account)

    api = api_as(admin)
    items = api.get("opportunities", sort="name").json()["items"]

    _same_as_detail(api, "opportunities", items, OpportunityOut)
    bare, open_, closed = items
    assert (bare["budget"], bare["base_budget"], bare["customer_type"]) == (None, None, None)
    assert (open_["status_label"], open_["budget"]) == ("Negotiation", {"amount": "99.00", "currency": "USD"})
    assert closed["close_revenue"] == {"amount": "1200.50", "currency": "EUR"}
    assert closed["base_close_revenue"] == {"amount": "1320.55", "currency": "USD"}
    assert (closed["customer_type"], closed["account_id"]) == ("crm.business_customer", account.pk)


def test_only_the_records_the_caller_may_view(
    api_as: Any,
    admin: User,
    make_account: Callable[..., Account],
    make_bc: Callable[..., BusinessCustomer],
    make_user: Callable[..., User],
) -> None:
    own = {"view": AccessLevel.USER}
    me = make_user("me", grants={"crm.lead": own, "crm.business_customer": own})
    account = make_account("Acme")
    mine = {
        "leads": lead_create(name="Mine", owner=me, actor=admin),
        "business-customers": make_bc("Mine", account, owner=me),
    }
    lead_create(name="Theirs", actor=admin)
    make_bc("Theirs", account)

    nobody = make_user("no.grants", grants={"crm.account": {"view": AccessLevel.ORGANIZATION}})
    for path, record in mine.items():
        assert [item["id"] for item in api_as(me).get(path).json()["items"]] == [record.pk]
        assert api_as(nobody).get(path).json() == {"count": 0, "count_exact": True, "items": []}
        assert api_as(None).get(path).status_code == 401


@pytest.mark.parametrize("path", ["leads", "business-customers", "opportunities"])
def test_query_count_does_not_grow_with_the_page(
    api_as: Any,
    admin: User,
    make_account: Callable[..., Account],
    make_bc: Callable[..., BusinessCustomer],
    make_opportunity: Callable[..., Opportunity],
    path: str,
) -> None:
    account = make_account("Acme")
    hub = customer_association_for_account(account=account)
    api = api_as(admin)
    api.get(path)  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Lead.objects.count() < size:
            lead_create(name=f"L{Lead.objects.count()}", customer_association=hub, actor=admin, **POINTS)
            customer = make_bc(f"B{BusinessCustomer.objects.count()}", account, **POINTS)
            make_opportunity(f"O{customer.pk}", customer=customer, budget="10")
        with CaptureQueriesContext(connection) as ctx:
            items = api.get(path, page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        filled = [item["budget"] if path == "opportunities" else item["phones"] for item in items]
        assert all(filled)
    assert counts[0] == counts[1]
