"""Enabling the bridge over a populated commerce-only database (oro-spec §2.2, items 40-41)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accord.platform.models import User


@contextmanager
def bridge_muted() -> Iterator[None]:
    """The bridge's receivers disconnected: commerce works as if the bridge were not installed."""
    from accord.crm_commerce.registrations import _connect_events, disconnect_events

    disconnect_events()
    try:
        yield
    finally:
        _connect_events()


def _migrate(target: list[tuple[str, str | None]]) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def _latest() -> str:
    executor = MigrationExecutor(connection)
    return max(name for app, name in executor.loader.graph.leaf_nodes() if app == "crm_commerce")


@pytest.mark.django_db(transaction=True)
def test_migrating_the_bridge_over_commerce_links_every_customer(
    admin: User,
    make_customer: Callable[..., Any],
    make_customer_user: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    """oro-spec #40, #41 extended: one account per customer, the active commerce channel, and
    lifetime values right at once (no recalculation needed)."""
    from accord.commerce.services.payments import order_payment_record, order_refund_record

    latest = _latest()
    _migrate([("crm_commerce", None)])
    try:
        with bridge_muted():
            root = make_customer("Old Root")
            child = make_customer("Old Child", root)
            order = place_order(make_customer_user(child), "100.00")
            order_payment_record(order=order, amount="100.00", actor=admin)
            order_refund_record(order=order, amount="25.00", actor=admin)
    finally:
        _migrate([("crm_commerce", latest)])

    from accord.crm.models import Account, Channel
    from accord.crm_commerce.services.recalculate import lifetime_recalculate
    from accord.crm_commerce.tests.conftest import account_of, account_value, value_of

    assert Account.objects.get(pk=account_of(root)).name == "Old Root"
    assert Account.objects.get(pk=account_of(child)).name == "Old Child"
    channel = Channel.objects.get(channel_type="commerce", organization_id=root.organization_id)
    assert channel.status == "active"
    assert value_of(child) == Decimal("75.00")
    assert account_value(account_of(child)) == Decimal("75.00")
    assert lifetime_recalculate(fix=False).clean
