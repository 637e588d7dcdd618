"""Sales console pages: grids, view pages, forms with field errors, actions, forecast, dashboard."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.crm.models import BusinessCustomer, Lead, Opportunity
from accord.crm.services.opportunities import opportunity_close_won


@pytest.fixture
def console(console_as, admin):
    return console_as(admin)


def test_opportunity_pages_render_and_form_errors(console, admin, make_account, make_opportunity):
    account = make_account("Acme")
    deal = make_opportunity("Big deal", account=account, budget="100")
    grid = console.get("/console/opportunities/")
    assert grid.status_code == 200
    assert b"Big deal" in grid.content
    view = console.get(f"/console/opportunities/{deal.pk}/")
    assert view.status_code == 200
    assert b"Close won" in view.content
    assert console.get("/console/opportunities/new/").status_code == 200
    bad = console.post(
        "/console/opportunities/new/",
        {"name": "X", "status": "in_progress", "budget_amount": "5", "budget_currency": ""},
    )
    assert bad.status_code == 400
    assert "account" in bad.context["form"].errors
    bad = console.post(
        "/console/opportunities/new/",
        {
            "name": "X",
            "status": "in_progress",
            "account": account.pk,
            "budget_amount": "-5",
            "budget_currency": "USD",
        },
    )
    assert bad.status_code == 400
    assert "budget_amount" in bad.context["form"].errors
    ok = console.post(
        "/console/opportunities/new/",
        {
            "name": "Made here",
            "status": "negotiation",
            "account": account.pk,
            "budget_amount": "50",
            "budget_currency": "USD",
        },
    )
    assert ok.status_code == 302
    made = Opportunity.objects.get(name="Made here")
    assert made.probability == Decimal(80)
    export = console.get("/console/opportunities/?export=csv")
    assert b"Made here" in b"".join(export.streaming_content)


def test_opportunity_view_names_its_business_customer(console, make_account, make_bc, make_opportunity):
    customer = make_bc("Acme Buying", make_account("Acme"))
    deal = make_opportunity("Via customer", customer=customer)
    page = console.get(f"/console/opportunities/{deal.pk}/")
    assert b"Acme Buying (business customer)" in page.content


def test_close_won_and_lost_pages(console, admin, make_account, make_opportunity):
    """oro-spec #98/#99 in the console: field errors, then the status changes."""
    account = make_account("Acme")
    deal = make_opportunity("Deal", account=account, budget="100")
    url = f"/console/opportunities/{deal.pk}/close-won/"
    assert console.get(url).status_code == 200
    missing = console.post(url, {"close_date": ""})
    assert missing.status_code == 400
    assert "close_date" in missing.context["form"].errors
    assert console.post(url, {"close_date": "2026-01-05"}).status_code == 302
    deal.refresh_from_db()
    assert (deal.status, deal.close_revenue_amount) == ("won", Decimal("100.00"))
    other = make_opportunity("Other", account=account)
    lost_url = f"/console/opportunities/{other.pk}/close-lost/"
    missing = console.post(lost_url, {"close_date": "2026-01-05"})
    assert "close_reason" in missing.context["form"].errors
    assert console.post(lost_url, {"close_date": "2026-01-05", "close_reason": "outsold"}).status_code == 302


def test_business_customer_pages(console, admin, make_account, b2b):
    account = make_account("Acme")
    assert console.get("/console/business_customers/new/").status_code == 200
    bad = console.post(
        "/console/business_customers/new/",
        {"name": "Acme Buying", "account": account.pk, "channel": b2b.pk, "emails": "not-an-email"},
    )
    assert bad.status_code == 400
    assert "emails" in bad.context["form"].errors
    ok = console.post(
        "/console/business_customers/new/",
        {
            "name": "Acme Buying",
            "account": account.pk,
            "channel": b2b.pk,
            "emails": "a@acme.example.com",
            "billing_street": "1 Main",
            "billing_city": "Town",
            "billing_country": "DE",
        },
    )
    assert ok.status_code == 302, ok.context["form"].errors if ok.context else ok
    customer = BusinessCustomer.objects.get()
    view = console.get(f"/console/business_customers/{customer.pk}/")
    assert view.status_code == 200
    assert b"a@acme.example.com" in view.content
    assert console.get(f"/console/business_customers/{customer.pk}/edit/").status_code == 200
    delete = console.get(f"/console/business_customers/{customer.pk}/delete/")
    assert b"stay with the account" in delete.content
    assert console.post(f"/console/business_customers/{customer.pk}/delete/").status_code == 302
    assert console.get("/console/business_customers/").status_code == 200


def test_lead_pages_and_conversion_warning(console, admin, make_account):
    make_account("Reed & Partners")
    ok = console.post(
        "/console/leads/new/",
        {
            "name": "Office move",
            "status": "new",
            "first_name": "Olivia",
            "company_name": "Reed & Partners",
            "emails": "o@reed.example.com",
        },
    )
    assert ok.status_code == 302
    lead = Lead.objects.get()
    view = console.get(f"/console/leads/{lead.pk}/")
    assert view.status_code == 200
    assert b"Convert to opportunity" in view.content
    page = console.get(f"/console/leads/{lead.pk}/convert/")
    assert page.status_code == 200
    assert b"already exists" in page.content
    refused = console.post(f"/console/leads/{lead.pk}/convert/", {"create_contact": "on"})
    assert refused.status_code == 400
    done = console.post(
        f"/console/leads/{lead.pk}/convert/", {"create_contact": "on", "allow_duplicates": "on"}
    )
    assert done.status_code == 302
    opportunity = Opportunity.objects.get(lead=lead)
    assert done["Location"] == f"/console/opportunities/{opportunity.pk}/"
    assert console.get("/console/leads/?f_status=qualified").status_code == 200


def test_forecast_page_and_dashboard_widgets(console, admin, make_account, make_opportunity):
    account = make_account("Acme")
    today = dt.date.today()
    make_opportunity("Soon", account=account, budget="1000", status="negotiation", close_date=today)
    won = make_opportunity("Won", account=account, budget="300")
    opportunity_close_won(opportunity=won, close_date=today, actor=admin)
    page = console.get(
        "/console/forecast/",
        {
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
            "compare_to": (today - dt.timedelta(days=30)).isoformat(),
        },
    )
    assert page.status_code == 200
    assert b"1000.00" in page.content
    assert b"800.00" in page.content
    dashboard = console.get("/console/")
    assert dashboard.status_code == 200
    assert b'data-widget="crm.forecast"' in dashboard.content
    assert b'data-widget="crm.lifetime_average"' in dashboard.content
    assert b"crm-ltv-average" in dashboard.content


def test_rep_cannot_open_others_records_in_console(
    console_as, make_user, tree, make_account, make_opportunity
):
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    account = make_account("Acme")
    far = make_opportunity("Far", account=account, owner=outsider)
    colleague_deal = make_opportunity(
        "Near", account=account, owner=make_user("c", unit=tree.east, roles=["sales_rep"])
    )
    client = console_as(rep)
    assert client.get(f"/console/opportunities/{far.pk}/").status_code == 404
    assert client.get(f"/console/opportunities/{colleague_deal.pk}/").status_code == 200
    assert client.get(f"/console/opportunities/{colleague_deal.pk}/edit/").status_code == 403
    assert (
        client.post(
            f"/console/opportunities/{colleague_deal.pk}/close-won/", {"close_date": "2026-01-01"}
        ).status_code
        == 403
    )
    grid = client.get("/console/opportunities/")
    assert b"Near" in grid.content
    assert b"Far" not in grid.content
    export = b"".join(client.get("/console/opportunities/?export=csv").streaming_content)
    assert b"Near" in export
    assert b"Far" not in export
    nobody = console_as(make_user("nobody"))
    assert nobody.get("/console/opportunities/").status_code == 403
    assert nobody.get("/console/forecast/").status_code == 403
