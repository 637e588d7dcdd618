"""Forecast of opportunities (oro-spec §2.11, #101–#106)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accord.crm.selectors.forecast import deviation, forecast, forecast_as_of
from accord.crm.services.opportunities import opportunity_close_won, opportunity_update
from accord.platform.models import AuditEntry

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def account(make_account):
    return make_account("Acme")


def _march(user, **kwargs):
    return forecast(user, date_from=MARCH[0], date_to=MARCH[1], **kwargs)


def test_in_progress_counts_open_opportunities_closing_in_range(admin, account, make_opportunity):
    """oro-spec #101: open (not won/lost) opportunities with a close date in the range."""
    make_opportunity("In", account=account, close_date=dt.date(2026, 3, 5))
    make_opportunity("Edge", account=account, close_date=dt.date(2026, 3, 31))
    make_opportunity("Later", account=account, close_date=dt.date(2026, 4, 1))
    make_opportunity("Undated", account=account)
    won = make_opportunity("Won", account=account, close_date=dt.date(2026, 3, 6))
    opportunity_close_won(opportunity=won, close_date=dt.date(2026, 3, 6), actor=admin)
    assert _march(admin).in_progress == 2


def test_total_forecast_sums_budgets_in_base_currency(admin, account, make_opportunity, eur_rate):
    """oro-spec #102: Σ budget of those opportunities, in the base currency."""
    make_opportunity("USD", account=account, budget="100", close_date=dt.date(2026, 3, 5))
    make_opportunity("EUR", account=account, budget="100", currency="EUR", close_date=dt.date(2026, 3, 5))
    make_opportunity("Out", account=account, budget="999", close_date=dt.date(2026, 5, 5))
    assert _march(admin).total == Decimal("210.00")


def test_weighted_forecast_sums_budget_times_probability(admin, account, make_opportunity):
    """oro-spec #103: Σ budget × probability."""
    make_opportunity(
        "A", account=account, budget="1000", status="negotiation", close_date=dt.date(2026, 3, 5)
    )
    make_opportunity("B", account=account, budget="200", probability=25, close_date=dt.date(2026, 3, 6))
    assert _march(admin).weighted == Decimal("850.00")


def test_indeterminate_forecast_sums_open_opportunities_without_close_date(admin, account, make_opportunity):
    """oro-spec #104: open opportunities with no close date, whatever the range."""
    make_opportunity("A", account=account, budget="300", status="solution_development")
    make_opportunity("B", account=account, budget="100")
    make_opportunity("Dated", account=account, budget="5000", close_date=dt.date(2026, 3, 5))
    result = _march(admin)
    assert (result.indeterminate_total, result.indeterminate_weighted) == (Decimal(400), Decimal(150))


def test_forecast_respects_owner_filter_and_acl(admin, account, make_opportunity, make_user, tree):
    """oro-spec #105: the owner filter and the viewer's ACL."""
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    make_opportunity("Rep", account=account, budget="10", close_date=dt.date(2026, 3, 5), owner=rep)
    make_opportunity("Far", account=account, budget="90", close_date=dt.date(2026, 3, 5), owner=outsider)
    assert _march(admin).total == Decimal(100)
    assert _march(admin, owner_ids=[outsider.pk]).total == Decimal(90)
    assert _march(rep).total == Decimal(10)
    assert _march(rep, owner_ids=[outsider.pk]).total == Decimal(0)
    nobody = make_user("nobody")
    assert _march(nobody).in_progress == 0


def _backdate(opportunity, when):
    AuditEntry.objects.filter(entity="crm.opportunity", object_id=str(opportunity.pk)).update(at=when)


def test_compare_to_date_rebuilds_past_figures_from_audit_history(admin, account, make_opportunity):
    """oro-spec #106: the figures as they were at a past moment, and the deviation since."""
    past = timezone.now() - dt.timedelta(days=10)
    grown = make_opportunity("Grown", account=account, budget="100", close_date=dt.date(2026, 3, 5))
    closed = make_opportunity("Closed", account=account, budget="50", close_date=dt.date(2026, 3, 6))
    _backdate(grown, past)
    _backdate(closed, past)
    opportunity_update(opportunity=grown, budget=(Decimal(300), "USD"), status="negotiation", actor=admin)
    opportunity_close_won(opportunity=closed, close_date=dt.date(2026, 3, 6), actor=admin)
    make_opportunity("New", account=account, budget="1000", close_date=dt.date(2026, 3, 7))
    then = forecast_as_of(admin, moment=past + dt.timedelta(days=1), date_from=MARCH[0], date_to=MARCH[1])
    now = _march(admin)
    assert (then.in_progress, then.total, then.weighted) == (2, Decimal(150), Decimal(0))
    assert (now.in_progress, now.total, now.weighted) == (2, Decimal(1300), Decimal(240))
    change = deviation(now.total, then.total)
    assert change["label"] == "+1150.00 (+766.67%)"
    assert deviation(Decimal(5), Decimal(5))["label"] == "No changes"
    assert deviation(Decimal(0), Decimal(10))["label"].startswith("−10")
    before_all = forecast_as_of(
        admin, moment=past - dt.timedelta(days=1), date_from=MARCH[0], date_to=MARCH[1]
    )
    assert before_all.in_progress == 0
