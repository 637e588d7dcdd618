"""Menu, search, activity paths, account view section, demo data and query counts of the sales side."""

from __future__ import annotations

import datetime as dt

from django.test import RequestFactory

from accord.crm import demo_sales
from accord.crm.models import BusinessCustomer, Lead, LifetimeValueHistory, Opportunity
from accord.crm.services.channels import channel_activate
from accord.crm.services.leads import lead_create
from accord.crm.services.opportunities import opportunity_close_won
from accord.platform.console.menu import build_menu
from accord.platform.models import Activity, ActivityKind
from accord.platform.search import search
from accord.platform.selectors import activities_for


def _menu(user):
    request = RequestFactory().get("/console/")
    request.user = user
    return {section.key: [item.key for item in section.items] for section in build_menu(request)}


def test_menu_sales_section_and_business_customers_under_customers(admin, b2b):
    menu = _menu(admin)
    assert menu["sales"][:3] == ["leads", "opportunities", "forecast"]
    assert "business_customers" in menu["customers"]


def test_menu_hides_sales_entities_without_an_active_b2b_channel(admin, b2b):
    """oro-spec #90: entities listed in no active channel are hidden from navigation."""
    channel_activate(channel=b2b, active=False, actor=admin)
    menu = _menu(admin)
    assert "leads" not in menu.get("sales", [])
    assert "business_customers" not in menu.get("customers", [])


def test_search_finds_leads_opportunities_and_business_customers_within_acl(
    admin, make_account, make_bc, make_opportunity, make_user, tree
):
    account = make_account("Globex")
    make_bc("Globex Buying", account, emails=[{"email": "orders@globex.example.com", "primary": True}])
    make_opportunity("Turbine upgrade", account=account)
    lead_create(
        name="Print fleet",
        first_name="Jonas",
        last_name="Berg",
        company_name="Berg Print",
        emails=[{"email": "jonas@berg.example.com"}],
        actor=admin,
    )
    assert [h.entity for h in search(admin, "orders@globex")] == ["crm.business_customer"]
    assert {h.entity for h in search(admin, "globex")} >= {"crm.business_customer", "crm.opportunity"}
    assert [h.title for h in search(admin, "jonas berg")] == ["Print fleet"]
    assert [h.entity for h in search(admin, "turbine")] == ["crm.opportunity"]
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    assert search(outsider, "turbine") == []


def test_account_activities_include_leads_opportunities_and_business_customers(
    admin, make_account, make_bc, make_opportunity
):
    """oro-spec #81 (sales part): the account's activity list includes those of its leads,
    opportunities and business customers."""
    from accord.crm.services.associations import customer_association_for_account

    account = make_account("Acme")
    other = make_account("Other")
    customer = make_bc("Acme Buying", account)
    deal = make_opportunity("Deal", account=account)
    lead = lead_create(
        name="Lead", customer_association=customer_association_for_account(account=account), actor=admin
    )
    far = make_opportunity("Elsewhere", account=other)
    now = dt.datetime.now(dt.UTC)
    for entity, pk, subject in (
        ("crm.business_customer", customer.pk, "bc note"),
        ("crm.opportunity", deal.pk, "deal note"),
        ("crm.lead", lead.pk, "lead note"),
        ("crm.opportunity", far.pk, "other note"),
    ):
        Activity.objects.create(
            kind=ActivityKind.NOTE,
            subject=subject,
            target_entity=entity,
            target_id=pk,
            happened_at=now,
            owner=admin,
            business_unit_id=admin.business_unit_id,
            organization_id=admin.organization_id,
        )
    subjects = {a.subject for a in activities_for(admin, entity="crm.account", pk=account.pk)}
    assert subjects == {"bc note", "deal note", "lead note"}


def test_account_view_shows_b2b_section_with_lifetime(
    console_as, admin, make_account, make_bc, make_opportunity
):
    """oro-spec #74: one section per channel with content, titled with the channel name."""
    account = make_account("Acme")
    customer = make_bc("Acme Buying", account)
    deal = make_opportunity("Deal", customer=customer, budget="250")
    opportunity_close_won(opportunity=deal, close_date=dt.date(2026, 1, 1), actor=admin)
    page = console_as(admin).get(f"/console/accounts/{account.pk}/")
    assert page.status_code == 200
    assert b"Sales team" in page.content
    assert b"Acme Buying" in page.content
    assert b"250.00" in page.content
    empty = make_account("Empty")
    assert (
        b"Lifetime sales value: <strong>"
        not in console_as(admin).get(f"/console/accounts/{empty.pk}/").content
    )


def test_demo_loader_is_idempotent(tree, admin):
    from accord.platform import demo as platform_demo

    platform_demo.load(organization=tree.org, admin=admin, password="demo-password-for-tests-1")
    demo_sales.load(organization=tree.org, admin=admin)
    demo_sales.load(organization=tree.org, admin=admin)
    assert Lead.objects.count() == len(demo_sales.LEADS)
    assert Opportunity.objects.count() == len(demo_sales.OPPORTUNITIES)
    assert BusinessCustomer.objects.count() == len(demo_sales.ACCOUNTS)
    assert Opportunity.objects.filter(status="won").count() == 2
    assert LifetimeValueHistory.objects.filter(is_current=True, channel=None).count() == 2


def test_lists_run_a_bounded_number_of_queries(
    api_as, console_as, admin, make_account, make_bc, make_opportunity, django_assert_max_num_queries
):
    """No N+1: grids, API lists and view pages run the same number of queries for more data."""
    api, console = api_as(admin), console_as(admin)
    account = make_account("Acme")

    def grow(n):
        for i in range(n):
            customer = make_bc(
                f"Customer {i}",
                account,
                emails=[{"email": f"c{i}@x.example.com"}],
                phones=[{"phone": f"+1 555 {i}"}],
            )
            make_opportunity(f"Deal {i}", customer=customer, budget="10")
            lead_create(name=f"Lead {i}", emails=[{"email": f"l{i}@x.example.com"}], actor=admin)

    urls = [
        "opportunities",
        "business-customers",
        "leads",
        f"accounts/{account.pk}/lifetime-value",
        "forecast",
    ]
    pages = ["/console/opportunities/", "/console/business_customers/", "/console/leads/"]
    grow(2)
    counts = {}
    for url in urls:
        with django_assert_max_num_queries(50) as captured:
            assert api.get(url).status_code == 200
        counts[url] = len(captured)
    for page in pages:
        with django_assert_max_num_queries(60) as captured:
            assert console.get(page).status_code == 200
        counts[page] = len(captured)
    grow(8)
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert api.get(url).status_code == 200
    for page in pages:
        with django_assert_max_num_queries(counts[page]):
            assert console.get(page).status_code == 200
    customer = BusinessCustomer.objects.first()
    deal = Opportunity.objects.first()
    for view in (f"/console/business_customers/{customer.pk}/", f"/console/opportunities/{deal.pk}/"):
        with django_assert_max_num_queries(60):
            assert console.get(view).status_code == 200
