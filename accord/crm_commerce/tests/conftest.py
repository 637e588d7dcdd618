"""Bridge test helpers: the commerce and CRM fixtures, plus invariants checked from scratch."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accord.commerce.tests.conftest import *  # noqa: F403
from accord.crm.tests.conftest import *  # noqa: F403
from accord.platform.models import User
from accord.platform.services.settings import setting_set


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    """Settings are cached; a rolled-back test must not leave its values to the next one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def set_strategy(admin: User) -> Callable[[str], None]:
    """Change the setting without running the switch job (the tests run it when they mean to)."""

    def set_(value: str) -> None:
        from accord.crm_commerce.services import strategy

        hook = strategy.on_setting_changed
        strategy_def = _strategy_def()
        object.__setattr__(strategy_def, "on_change", None)
        try:
            setting_set(key="crm_commerce.account_strategy", value=value, actor=admin)
        finally:
            object.__setattr__(strategy_def, "on_change", hook)

    return set_


def _strategy_def() -> Any:
    from accord.platform.registries import setting_defs

    return setting_defs.get("crm_commerce.account_strategy")


@pytest.fixture
def customer_in_use(
    make_customer: Callable[..., Any], make_customer_user: Callable[..., Any]
) -> Callable[..., Any]:
    """A customer with a user (orders need one) — returns (customer, customer user)."""

    def make(name: str, parent: Any = None) -> tuple[Any, Any]:
        customer = make_customer(name, parent)
        return customer, make_customer_user(customer)

    return make


def account_of(customer: Any) -> int | None:
    from accord.crm_commerce.services._common import links_of

    return links_of([customer.pk]).get(customer.pk)


def value_of(customer: Any) -> Decimal:
    from accord.crm_commerce.models import CustomerLifetimeValue

    row = CustomerLifetimeValue.objects.filter(customer_id=customer.pk).first()
    return row.amount if row else Decimal("0.00")


def account_value(account_id: int) -> Decimal:
    from accord.crm.selectors.lifetime import account_lifetime_total

    return account_lifetime_total(account_id)
