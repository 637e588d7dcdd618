"""`accord lifetime recalculate` (oro-spec #51, adjusted: it reports differences; --fix repairs)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from accord.commerce.services.payments import order_payment_record
from accord.crm_commerce.models import CustomerLifetimeValue
from accord.crm_commerce.services.recalculate import lifetime_recalculate
from accord.crm_commerce.tests.conftest import account_of, account_value, value_of
from accord.platform.models import User

pytestmark = pytest.mark.django_db


def _paid(customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User) -> Any:
    customer, user = customer_in_use("Acme")
    order = place_order(user, "90.00")
    order_payment_record(order=order, amount="90.00", actor=admin)
    return customer


def test_recalculation_agrees_with_the_incremental_path(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    _paid(customer_in_use, place_order, admin)
    assert lifetime_recalculate(fix=False).clean
    out = StringIO()
    call_command("lifetime", "recalculate", stdout=out)
    assert "All lifetime values are right." in out.getvalue()


def test_without_fix_it_reports_and_changes_nothing(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #51: without the option nothing is written (here: the differences are listed, exit ≠ 0)."""
    customer = _paid(customer_in_use, place_order, admin)
    CustomerLifetimeValue.objects.filter(customer_id=customer.pk).update(amount=Decimal("1.00"))
    out = StringIO()
    with pytest.raises(CommandError, match="1 difference"):
        call_command("lifetime", "recalculate", stdout=out)
    assert f"customer {customer.pk}: stored 1.00, recomputed 90.00" in out.getvalue()
    assert value_of(customer) == Decimal("1.00")


def test_fix_repairs_customers_and_accounts(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    from accord.crm.models import LifetimeValueHistory

    customer = _paid(customer_in_use, place_order, admin)
    CustomerLifetimeValue.objects.all().delete()
    LifetimeValueHistory.objects.all().delete()
    out = StringIO()
    call_command("lifetime", "recalculate", "--fix", stdout=out)
    assert "Fixed 2 difference(s)." in out.getvalue()
    assert value_of(customer) == Decimal("90.00")
    assert account_value(account_of(customer)) == Decimal("90.00")
    assert lifetime_recalculate(fix=False).clean


def test_each_kind_of_difference_is_found_by_the_database_comparison(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """A stored value without any money behind it, and an account figure that drifted alone."""
    from accord.crm.models import LifetimeValueHistory

    paid = _paid(customer_in_use, place_order, admin)
    idle, _ = customer_in_use("Idle")
    CustomerLifetimeValue.objects.update_or_create(customer_id=idle.pk, defaults={"amount": Decimal("5.00")})
    current = LifetimeValueHistory.objects.get(account=account_of(paid), is_current=True)
    LifetimeValueHistory.objects.filter(pk=current.pk).update(amount=Decimal("89.99"))

    report = lifetime_recalculate(fix=False)

    assert report.customer_differences == {idle.pk: (Decimal("5.00"), Decimal("0.00"))}
    pair = (account_of(paid), current.channel_id)
    assert report.pair_differences[pair] == (Decimal("89.99"), Decimal("90.00"))
    idle_pair = (account_of(idle), current.channel_id)
    assert report.pair_differences.get(idle_pair) in (None, (Decimal("0.00"), Decimal("0.00")))
    assert lifetime_recalculate(fix=True).fixed
    assert lifetime_recalculate(fix=False).clean
