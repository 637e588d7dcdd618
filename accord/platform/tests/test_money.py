"""Currency rates and conversion to the base currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from accord.platform.errors import ValidationFailed
from accord.platform.models import AuditEntry
from accord.platform.money import currency_rate_set, rate_on, to_base


def test_conversion_uses_the_rate_valid_on_the_day(tree, admin) -> None:
    currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1), actor=admin)
    currency_rate_set(currency="EUR", rate=Decimal("1.20"), valid_from=dt.date(2026, 6, 1), actor=admin)

    assert to_base(Decimal("100"), "EUR", dt.date(2026, 3, 1)) == Decimal("110.00")
    assert to_base(Decimal("100"), "EUR", dt.date(2026, 6, 1)) == Decimal("120.00")
    assert rate_on("USD") == Decimal(1)


def test_missing_rate_is_a_clear_error(tree) -> None:
    with pytest.raises(ValidationFailed) as exc:
        rate_on("GBP", dt.date(2026, 1, 1))

    assert "No rate for GBP" in exc.value.field_errors["currency"][0]


@pytest.mark.parametrize(
    ("_case", "currency", "rate", "field"),
    [
        ("unknown currency", "XXX", Decimal("1"), "currency"),
        ("base currency", "USD", Decimal("1"), "currency"),
        ("zero rate", "EUR", Decimal("0"), "rate"),
    ],
)
def test_bad_rates_are_refused(tree, admin, _case, currency, rate, field) -> None:
    with pytest.raises(ValidationFailed) as exc:
        currency_rate_set(currency=currency, rate=rate, valid_from=dt.date(2026, 1, 1), actor=admin)

    assert field in exc.value.field_errors


def test_correcting_a_rate_is_audited(tree, admin) -> None:
    row = currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2026, 1, 1), actor=admin)
    currency_rate_set(currency="EUR", rate=Decimal("1.15"), valid_from=dt.date(2026, 1, 1), actor=admin)

    entries = list(AuditEntry.objects.filter(entity="platform.currency_rate", object_id=str(row.pk)))
    assert [e.action for e in entries] == ["update", "create"]
    assert entries[0].changes == {"rate": {"old": "1.10000000", "new": "1.15000000"}}


def test_rates_api_lists_and_sets(tree, admin, api_as, make_user) -> None:
    client = api_as(admin)

    created = client.post("currency-rates", {"currency": "eur", "rate": "1.25", "valid_from": "2026-02-01"})
    listed = client.get("currency-rates", currency="EUR")
    denied = api_as(make_user("rep", roles=["sales_rep"])).post(
        "currency-rates", {"currency": "GBP", "rate": "1.3", "valid_from": "2026-02-01"}
    )

    assert created.status_code == 201
    assert created.json()["currency"] == "EUR"
    assert listed.json()["count"] == 1
    assert denied.status_code == 403
