"""Fixtures of the sales tests (imported by the test_sales_* modules)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accord.crm.models import Account, BusinessCustomer, Channel, ChannelStatus, Opportunity
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.business_customers import business_customer_create, business_customer_hub
from accord.crm.services.channels import channel_create
from accord.crm.services.opportunities import opportunity_create
from accord.platform.models import User
from accord.platform.money import currency_rate_set

__all__ = ["_settings_cache_cleared", "b2b", "eur_rate", "make_bc", "make_opportunity"]


@pytest.fixture(autouse=True)
def _settings_cache_cleared() -> Any:
    """Settings are cached; a test that changes one must not leak it into the next test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def b2b(admin: User) -> Channel:
    return channel_create(
        organization=admin.organization,
        name="Sales team",
        channel_type="b2b",
        status=ChannelStatus.ACTIVE,
        actor=admin,
    )


@pytest.fixture
def eur_rate(admin: User) -> None:
    import datetime as dt

    currency_rate_set(currency="EUR", rate=Decimal("1.10"), valid_from=dt.date(2000, 1, 1), actor=admin)


@pytest.fixture
def make_bc(admin: User, b2b: Channel) -> Callable[..., BusinessCustomer]:
    def make(name: str, account: Account, **kwargs: Any) -> BusinessCustomer:
        kwargs.setdefault("channel", b2b)
        return business_customer_create(
            name=name, account=account, actor=kwargs.pop("actor", admin), **kwargs
        )

    return make


@pytest.fixture
def make_opportunity(admin: User) -> Callable[..., Opportunity]:
    def make(
        name: str = "Deal",
        *,
        account: Account | None = None,
        customer: BusinessCustomer | None = None,
        budget: str | None = None,
        currency: str = "USD",
        **kwargs: Any,
    ) -> Opportunity:
        if customer is not None:
            association = business_customer_hub(customer)
        else:
            assert account is not None
            association = customer_association_for_account(account=account)
        kwargs.setdefault("actor", admin)
        return opportunity_create(
            name=name,
            customer_association=association,
            budget=(Decimal(budget), currency) if budget is not None else None,
            **kwargs,
        )

    return make
