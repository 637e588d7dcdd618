"""Opportunity rules: statuses, probabilities, closing, base-currency values (oro-spec §1.11, §2.11)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.crm.models import Opportunity, OpportunityStatus
from accord.crm.services.opportunities import (
    opportunity_close_lost,
    opportunity_close_won,
    opportunity_update,
)
from accord.platform.errors import ValidationFailed
from accord.platform.services.settings import setting_set

TODAY = dt.date(2026, 3, 1)


@pytest.fixture
def account(make_account):
    return make_account("Acme")


def test_opportunity_requires_name_and_defaults_to_open(make_opportunity, account):
    """oro-spec #93: name required; the default status is Open (in_progress)."""
    with pytest.raises(ValidationFailed) as exc:
        make_opportunity("  ", account=account)
    assert "name" in exc.value.field_errors
    opportunity = make_opportunity("Deal", account=account)
    assert opportunity.status == OpportunityStatus.IN_PROGRESS
    assert opportunity.get_status_display() == "Open"
    with pytest.raises(ValidationFailed) as exc:
        make_opportunity("Deal", account=account, status="maybe")
    assert "status" in exc.value.field_errors


def test_seven_statuses_with_default_probabilities(make_opportunity, account):
    """oro-spec #94: seven statuses, default probabilities 0, 10, 20, 50, 80, 100, 0 %."""
    expected = {
        "in_progress": 0,
        "identification_alignment": 10,
        "needs_analysis": 20,
        "solution_development": 50,
        "negotiation": 80,
        "won": 100,
        "lost": 0,
    }
    assert list(OpportunityStatus.values) == list(expected)
    for status, percent in expected.items():
        assert make_opportunity(status, account=account, status=status).probability == Decimal(percent)


def test_default_probabilities_are_editable_in_settings(make_opportunity, account, admin):
    """oro-spec #94: the defaults live in the "Opportunities" settings section."""
    setting_set(key="opportunities.probability_negotiation", value="65", actor=admin)
    assert make_opportunity(account=account, status="negotiation").probability == Decimal(65)
    with pytest.raises(ValidationFailed):
        setting_set(key="opportunities.probability_negotiation", value="120", actor=admin)


def test_status_change_updates_probability_unless_overridden(make_opportunity, account, admin):
    """oro-spec #95: the probability follows the status unless the user overrode it."""
    deal = make_opportunity(account=account)
    deal = opportunity_update(opportunity=deal, status="needs_analysis", actor=admin)
    assert deal.probability == Decimal(20)
    deal = opportunity_update(opportunity=deal, probability=35, actor=admin)
    deal = opportunity_update(opportunity=deal, status="negotiation", actor=admin)
    assert deal.probability == Decimal(35)
    deal = opportunity_update(opportunity=deal, probability=80, actor=admin)
    deal = opportunity_update(opportunity=deal, status="solution_development", actor=admin)
    assert deal.probability == Decimal(50)


def test_closing_sets_closed_at_and_reopening_clears_it(make_opportunity, account, admin):
    """oro-spec #96: closing (won/lost) sets closed_at; reopening clears it."""
    deal = make_opportunity(account=account, budget="100")
    assert deal.closed_at is None
    deal = opportunity_close_lost(opportunity=deal, close_date=TODAY, close_reason="outsold", actor=admin)
    assert deal.closed_at is not None
    deal = opportunity_update(opportunity=deal, status="in_progress", actor=admin)
    assert deal.closed_at is None
    assert deal.base_budget_amount is None


def test_probability_and_amount_ranges(make_opportunity, account, admin):
    """oro-spec #97: probability within 0–100 %; budget and close revenue ≥ 0."""
    for bad in (-1, 101, "x"):
        with pytest.raises(ValidationFailed) as exc:
            make_opportunity(account=account, probability=bad)
        assert "probability" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        make_opportunity(account=account, budget="-5")
    assert "budget.amount" in exc.value.field_errors
    deal = make_opportunity(account=account)
    with pytest.raises(ValidationFailed) as exc:
        opportunity_update(opportunity=deal, close_revenue=(Decimal("-1"), "USD"), actor=admin)
    assert "close_revenue.amount" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        make_opportunity(account=account, budget="5", currency="XXX")
    assert "budget.currency" in exc.value.field_errors
    assert Opportunity.objects.count() == 1


def test_close_won_requires_date_and_defaults_revenue_to_budget(make_opportunity, account, admin, eur_rate):
    """oro-spec #98: close-won needs a close date; the close revenue defaults to the budget."""
    deal = make_opportunity(account=account, budget="1000", currency="EUR")
    with pytest.raises(ValidationFailed) as exc:
        opportunity_close_won(opportunity=deal, close_date=None, actor=admin)
    assert "close_date" in exc.value.field_errors
    deal.refresh_from_db()
    assert deal.status == "in_progress"
    deal = opportunity_close_won(opportunity=deal, close_date=TODAY, actor=admin)
    assert (deal.status, deal.close_reason, deal.probability) == ("won", "won", Decimal(100))
    assert (deal.close_revenue_amount, deal.close_revenue_currency) == (Decimal("1000.00"), "EUR")
    assert deal.base_close_revenue_amount == Decimal("1100.00")
    assert deal.base_budget_amount == Decimal("1100.00")


def test_close_lost_requires_date_and_reason_and_zeroes_revenue(make_opportunity, account, admin):
    """oro-spec #99: close-lost needs a close date and a reason; the close revenue becomes 0."""
    deal = make_opportunity(account=account, budget="500")
    with pytest.raises(ValidationFailed) as exc:
        opportunity_close_lost(opportunity=deal, close_date=None, close_reason="", actor=admin)
    assert set(exc.value.field_errors) == {"close_date", "close_reason"}
    with pytest.raises(ValidationFailed) as exc:
        opportunity_close_lost(opportunity=deal, close_date=TODAY, close_reason="bored", actor=admin)
    assert "close_reason" in exc.value.field_errors
    deal = opportunity_close_lost(opportunity=deal, close_date=TODAY, close_reason="cancelled", actor=admin)
    assert (deal.status, deal.close_revenue_amount, deal.probability) == ("lost", Decimal(0), Decimal(0))
    assert deal.base_close_revenue_amount == Decimal(0)


def test_base_value_is_fixed_at_close_and_survives_rate_changes(make_opportunity, account, admin, eur_rate):
    """Money: the base-currency value is fixed when the opportunity closes."""
    from accord.platform.money import currency_rate_set

    deal = make_opportunity(account=account, budget="100", currency="EUR")
    deal = opportunity_close_won(opportunity=deal, close_date=TODAY, actor=admin)
    currency_rate_set(currency="EUR", rate=Decimal("2"), valid_from=dt.date(2001, 1, 1), actor=admin)
    deal = opportunity_update(opportunity=deal, notes="later edit", actor=admin)
    assert deal.base_close_revenue_amount == Decimal("110.00")


def test_opportunity_writes_are_audited(make_opportunity, account, admin):
    from accord.platform.audit import history

    deal = make_opportunity(account=account)
    opportunity_update(opportunity=deal, status="negotiation", actor=admin)
    actions = [entry.action for entry in history("crm.opportunity", deal.pk)]
    assert actions == ["update", "create"]
    change = history("crm.opportunity", deal.pk)[0].changes
    assert change["status"] == {"old": "in_progress", "new": "negotiation"}
    assert change["probability"] == {"old": "0.00", "new": "80.00"}
