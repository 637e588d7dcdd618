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
