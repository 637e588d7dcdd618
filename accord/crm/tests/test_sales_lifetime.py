"""Lifetime sales value: business customers, accounts, history (oro-spec §2.3 B2B, §2.4)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

from django.core.management import call_command

from accord.crm.models import BusinessCustomer, LifetimeValueHistory, OpportunityStatus
from accord.crm.selectors.lifetime import (
    account_lifetime_by_channel,
    account_lifetime_total,
    lifetime_monthly_averages,
)
from accord.crm.services.accounts import account_delete
from accord.crm.services.business_customers import business_customer_delete, business_customer_update
from accord.crm.services.lifetime import lifetime_recalculate, lifetime_value_record
from accord.crm.services.opportunities import (
    opportunity_close_lost,
    opportunity_close_won,
    opportunity_delete,
    opportunity_update,
)

DAY = dt.date(2026, 1, 15)


def won(make_opportunity, admin, budget, **kwargs):
    deal = make_opportunity(budget=budget, **kwargs)
    return opportunity_close_won(opportunity=deal, close_date=DAY, actor=admin)


def lifetime(customer):
    return BusinessCustomer.objects.get(pk=customer.pk).lifetime


def test_lifetime_value_record_appends_only_when_changed(make_account, b2b):
    """oro-spec #50/#55/#56: a new current row per change; older rows of the pair stop being current."""
    account = make_account("Acme")
    assert lifetime_value_record(account=account, channel=b2b, amount=Decimal(0)) is None
    first = lifetime_value_record(account=account, channel=b2b, amount=Decimal("10"))
    assert lifetime_value_record(account=account, channel=b2b, amount=Decimal("10.00")) is None
    second = lifetime_value_record(account=account, channel=b2b, amount=Decimal("25"))
    rows = list(LifetimeValueHistory.objects.filter(account=account).order_by("id"))
    assert [(r.pk, r.amount, r.is_current) for r in rows] == [
        (first.pk, Decimal("10.00"), False),
        (second.pk, Decimal("25.00"), True),
    ]


def test_b2b_customer_lifetime_is_sum_of_won_close_revenue_in_base_currency(
    make_account, make_bc, make_opportunity, admin, eur_rate
):
    """oro-spec #53: Σ close revenue (base currency) of its won opportunities; open and lost don't count."""
    account = make_account("Acme")
    customer = make_bc("Acme Buying", account)
    won(make_opportunity, admin, "100", customer=customer, currency="EUR")
    won(make_opportunity, admin, "50", customer=customer)
    make_opportunity(customer=customer, budget="999")
    lost = make_opportunity(customer=customer, budget="70")
    opportunity_close_lost(opportunity=lost, close_date=DAY, close_reason="outsold", actor=admin)
    assert lifetime(customer) == Decimal("160.00")


def test_winning_unwinning_deleting_and_moving_won_opportunity_updates_b2b_lifetime(
    make_account, make_bc, make_opportunity, admin
):
    """oro-spec #54: win, un-win, delete or re-assign a won opportunity → affected customers' lifetime."""
    account = make_account("Acme")
    first, second = make_bc("First", account), make_bc("Second", account)
    deal = won(make_opportunity, admin, "100", customer=first)
    assert lifetime(first) == Decimal(100)
    deal = opportunity_update(opportunity=deal, status="negotiation", actor=admin)
    assert lifetime(first) == Decimal(0)
    deal = opportunity_close_won(opportunity=deal, close_date=DAY, actor=admin)
    from accord.crm.services.business_customers import business_customer_hub

    deal = opportunity_update(
        opportunity=deal, customer_association=business_customer_hub(second), actor=admin
    )
    assert (lifetime(first), lifetime(second)) == (Decimal(0), Decimal(100))
    deal = opportunity_update(opportunity=deal, close_revenue=(Decimal(40), "USD"), actor=admin)
    assert lifetime(second) == Decimal(40)
    opportunity_delete(opportunity=deal, actor=admin)
    assert lifetime(second) == Decimal(0)
    assert account_lifetime_total(account.pk) == Decimal(0)


def test_account_lifetime_is_sum_of_current_rows_across_channels(
    make_account, make_bc, make_opportunity, admin
):
    """oro-spec #57/#58: account LTV = Σ current rows (no-channel row included); per channel likewise."""
    account = make_account("Acme")
    customer = make_bc("Acme Buying", account)
    won(make_opportunity, admin, "100", customer=customer)
    won(make_opportunity, admin, "30", account=account)
    assert account_lifetime_total(account.pk) == Decimal(130)
    by_channel = account_lifetime_by_channel(account.pk)
    assert by_channel == {customer.channel_id: Decimal(100), None: Decimal(30)}


def test_won_opportunities_attached_to_account_write_rows_without_channel(
    make_account, make_opportunity, admin
):
    """oro-spec #59: won opportunities attached directly to the account → history rows with no channel."""
    account = make_account("Acme")
    deal = won(make_opportunity, admin, "75", account=account)
    rows = LifetimeValueHistory.objects.filter(account=account)
    assert list(rows.values_list("channel_id", "amount", "is_current")) == [(None, Decimal(75), True)]
    opportunity_update(opportunity=deal, status="in_progress", actor=admin)
    assert account_lifetime_by_channel(account.pk) == {None: Decimal(0)}
    assert LifetimeValueHistory.objects.filter(account=account).count() == 2


def test_two_customers_of_one_account_in_a_channel_add_up(make_account, make_bc, make_opportunity, admin):
    """oro-spec #60: two customers sharing an account in a channel: the channel LTV is their sum."""
    account = make_account("Acme")
    first, second = make_bc("First", account), make_bc("Second", account)
    won(make_opportunity, admin, "10", customer=first)
    won(make_opportunity, admin, "32", customer=second)
    assert account_lifetime_by_channel(account.pk) == {first.channel_id: Decimal(42)}


def test_moving_customer_to_another_account_writes_history_for_both(
    make_account, make_bc, make_opportunity, admin
):
    """oro-spec #61: moving a customer to another account writes history for the old and the new account."""
    old, new = make_account("Old"), make_account("New")
    customer = make_bc("Mover", old)
    won(make_opportunity, admin, "60", customer=customer)
    business_customer_update(business_customer=customer, account=new, actor=admin)
    customer.refresh_from_db()
    assert customer.account_id == new.pk
    assert account_lifetime_total(old.pk) == Decimal(0)
    assert account_lifetime_total(new.pk) == Decimal(60)
    assert LifetimeValueHistory.objects.filter(account=old).count() == 2
    from accord.crm.models import CustomerAssociation

    hub = CustomerAssociation.objects.get(source_type="crm.business_customer", source_id=customer.pk)
    assert hub.account_id == new.pk


def test_deleting_business_customer_keeps_its_opportunities_on_the_account(
    make_account, make_bc, make_opportunity, admin
):
    """oro-spec §2.1 (SET NULL on the hub target): its won deals now count directly for the account."""
    account = make_account("Acme")
    customer = make_bc("Gone", account)
    deal = won(make_opportunity, admin, "80", customer=customer)
    business_customer_delete(business_customer=customer, actor=admin)
    deal.refresh_from_db()
    assert deal.customer_association.source_type is None
    assert account_lifetime_by_channel(account.pk) == {customer.channel_id: Decimal(0), None: Decimal(80)}


def test_deleting_account_removes_its_history(make_account, make_bc, make_opportunity, admin):
    account = make_account("Acme")
    won(make_opportunity, admin, "80", customer=make_bc("Buyer", account))
    account_delete(account=account, actor=admin)
    assert not LifetimeValueHistory.objects.exists()
    assert not BusinessCustomer.objects.exists()


def test_monthly_average_per_channel(make_account, make_bc, make_opportunity, admin):
    """oro-spec #62: per channel and month, the average of each account's latest amount."""
    first, second = make_account("A"), make_account("B")
    won(make_opportunity, admin, "100", customer=make_bc("A1", first))
    won(make_opportunity, admin, "300", customer=make_bc("B1", second))
    won(make_opportunity, admin, "50", account=first)
    chart = lifetime_monthly_averages(admin.organization_id, months=3)
    assert len(chart["labels"]) == 3
    data = {d["label"]: d["data"] for d in chart["datasets"]}
    assert data["Sales team"] == [0.0, 0.0, 200.0]
    assert data["Direct (no channel)"] == [0.0, 0.0, 50.0]


def test_monthly_average_reads_past_months_once_and_this_month_from_current_rows(make_account, admin):
    """A past month is computed from history once and then kept; this month is read from the
    current rows alone, so a new figure shows at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    first, second = make_account("A"), make_account("B")
    last_month = timezone.now().replace(day=1) - dt.timedelta(days=3)
    lifetime_value_record(account=first, channel=None, amount=Decimal(100))
    lifetime_value_record(account=second, channel=None, amount=Decimal(300))
    LifetimeValueHistory.objects.update(created_at=last_month)  # both written last month
    lifetime_value_record(account=first, channel=None, amount=Decimal(500))  # and one change today
    cache.clear()

    chart = lifetime_monthly_averages(admin.organization_id, months=3)

    assert {d["label"]: d["data"] for d in chart["datasets"]} == {"Direct (no channel)": [0.0, 200.0, 400.0]}
    lifetime_value_record(account=second, channel=None, amount=Decimal(700))
    with CaptureQueriesContext(connection) as ctx:
        again = lifetime_monthly_averages(admin.organization_id, months=3)
    assert again["datasets"][0]["data"] == [0.0, 200.0, 600.0]
    assert sum("crm_lifetimevaluehistory" in q["sql"] for q in ctx.captured_queries) == 1


def test_recalculate_repairs_and_reports_differences(make_account, make_bc, make_opportunity, admin):
    """The recalculation command repairs stored values and prints what differed."""
    account = make_account("Acme")
    customer = make_bc("Buyer", account)
    won(make_opportunity, admin, "100", customer=customer)
    assert lifetime_recalculate() == {"business_customers": [], "pairs": []}
    BusinessCustomer.objects.filter(pk=customer.pk).update(lifetime=Decimal(5))
    LifetimeValueHistory.objects.filter(account=account).delete()
    out = StringIO()
    call_command("crm_lifetime_recalculate", "--dry-run", stdout=out)
    assert "1 business customer(s) and 1 lifetime value(s) found" in out.getvalue()
    assert lifetime(customer) == Decimal(5)
    call_command("crm_lifetime_recalculate", stdout=StringIO())
    assert lifetime(customer) == Decimal(100)
    assert account_lifetime_total(account.pk) == Decimal(100)
    assert lifetime_recalculate() == {"business_customers": [], "pairs": []}


def test_recalculation_runs_as_a_background_job(make_account, make_bc, make_opportunity, admin):
    from accord.platform.jobs import job_enqueue, job_run

    account = make_account("Acme")
    customer = make_bc("Buyer", account)
    won(make_opportunity, admin, "100", customer=customer)
    BusinessCustomer.objects.filter(pk=customer.pk).update(lifetime=Decimal(1))
    job = job_enqueue(type="crm.lifetime_recalculate", actor=admin)
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded"
    assert job.result == {"business_customers": 1, "lifetime_values": 0}
    assert lifetime(customer) == Decimal(100)


def test_settings_page_edits_default_probabilities(console_as, admin):
    """oro-spec #94: the default probabilities are edited in the system configuration."""
    from accord.platform.services.settings import setting_get

    client = console_as(admin)
    page = client.get("/console/settings/opportunities/")
    assert page.status_code == 200
    assert b"Probability: Negotiation (%)" in page.content
    values = {f"opportunities.probability_{status}": "10" for status in OpportunityStatus.values}
    values["opportunities.probability_negotiation"] = "70"
    assert client.post("/console/settings/opportunities/", values).status_code == 302
    assert setting_get("opportunities.probability_negotiation") == Decimal(70)
    values["opportunities.probability_won"] = "101"
    assert client.post("/console/settings/opportunities/", values).status_code == 400
    assert setting_get("opportunities.probability_won") == Decimal(10)


def test_account_lifetime_refresh_repairs_after_opportunities_move_between_accounts(
    make_account, make_opportunity, admin
):
    """What a merge calls after re-pointing opportunities: both accounts' direct figures follow."""
    from accord.crm.models import Opportunity
    from accord.crm.services.associations import customer_association_for_account
    from accord.crm.services.lifetime import account_lifetime_refresh

    master, merged = make_account("Master"), make_account("Merged")
    won(make_opportunity, admin, "40", account=merged)
    Opportunity.objects.update(customer_association=customer_association_for_account(account=master))
    account_lifetime_refresh(account_ids=[master.pk, merged.pk])
    assert (account_lifetime_total(master.pk), account_lifetime_total(merged.pk)) == (Decimal(40), Decimal(0))
    assert lifetime_recalculate(dry_run=True) == {"business_customers": [], "pairs": []}


def test_moving_customer_to_another_b2b_channel_moves_its_lifetime(
    admin, make_account, make_bc, make_opportunity, b2b
):
    """oro-spec #55: a change of a customer's channel writes history for the old and the new pair."""
    from accord.crm.services.channels import channel_create

    other = channel_create(organization=admin.organization, name="Resellers", channel_type="b2b", actor=admin)
    account = make_account("Acme")
    customer = make_bc("Buyer", account)
    won(make_opportunity, admin, "90", customer=customer)
    business_customer_update(business_customer=customer, channel=other, actor=admin)
    assert account_lifetime_by_channel(account.pk) == {b2b.pk: Decimal(0), other.pk: Decimal(90)}
    from accord.crm.models import CustomerAssociation

    assert (
        CustomerAssociation.objects.get(source_id=customer.pk, source_type="crm.business_customer").channel
        == other
    )
