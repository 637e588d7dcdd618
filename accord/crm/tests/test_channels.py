"""Channels (oro-spec §1.4, §2.10; checklist #89, #91) and the customer association hub (§1.3)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accord.crm.models import Account, Channel, CustomerAssociation
from accord.crm.registries import ChannelType, CustomerSource, channel_types, customer_sources
from accord.crm.services.associations import (
    customer_association_for_account,
    customer_association_link,
    customer_association_unlink,
)
from accord.crm.services.channels import channel_activate, channel_create, channel_delete, channel_update
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.tests.fixtures import Tree

SOURCE = "test.customer"


@pytest.fixture
def source() -> Iterator[CustomerSource]:
    """A customer source backed by the account table itself (any model with a name will do)."""
    with customer_sources.temporarily(SOURCE, CustomerSource(SOURCE, "Test customers", "crm.Account")) as s:
        yield s


@pytest.fixture
def system_type() -> Iterator[ChannelType]:
    with channel_types.temporarily(
        "sys", ChannelType("sys", "System", customer_identity="x.customer", system=True)
    ) as t:
        yield t


def test_channel_requires_name_and_type_and_identity_among_entities(tree: Tree, admin: User) -> None:
    """oro-spec #89."""
    with pytest.raises(ValidationFailed) as exc:
        channel_create(organization=tree.org, name=" ", channel_type="b2b", actor=admin)
    assert "name" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        channel_create(organization=tree.org, name="X", channel_type="nope", actor=admin)
    assert "channel_type" in exc.value.field_errors
    with pytest.raises(ValidationFailed) as exc:
        channel_create(
            organization=tree.org,
            name="X",
            channel_type="custom",
            customer_identity="crm.lead",
            entities=["crm.opportunity"],
            actor=admin,
        )
    assert "customer_identity" in exc.value.field_errors
    channel = channel_create(organization=tree.org, name="B2B", channel_type="b2b", actor=admin)
    assert channel.customer_identity == "crm.business_customer"
    assert "crm.business_customer" in channel.entities
    assert Channel.objects.count() == 1


def test_system_channel_types_cannot_be_created_from_the_console_or_api(
    tree: Tree, admin: User, system_type: ChannelType
) -> None:
    """oro-spec #91: only the owning module (allow_system=True) creates them."""
    with pytest.raises(ValidationFailed) as exc:
        channel_create(organization=tree.org, name="Shop", channel_type="sys", actor=admin)
    assert "channel_type" in exc.value.field_errors
    channel = channel_create(
        organization=tree.org, name="Shop", channel_type="sys", actor=admin, allow_system=True
    )
    assert channel.entities == ["x.customer"]


def test_channel_activate_update_and_delete(
    tree: Tree, admin: User, make_account: Callable[..., Account]
) -> None:
    channel = channel_create(organization=tree.org, name="B2B", channel_type="b2b", actor=admin)
    channel_activate(channel=channel, active=True, actor=admin)
    channel.refresh_from_db()
    assert channel.is_active
    channel_update(channel=channel, name="Direct sales", actor=admin)
    channel.refresh_from_db()
    assert channel.name == "Direct sales"
    assert channel.channel_type == "b2b"
    with pytest.raises(ValidationFailed):
        channel_update(channel=channel, customer_identity="crm.nothing", actor=admin)
    account = make_account()
    with customer_sources.temporarily(SOURCE, CustomerSource(SOURCE, "T", "crm.Account")):
        row = customer_association_link(source_type=SOURCE, source_id=9, account=account, channel=channel)
    channel_delete(channel=channel, actor=admin)
    row.refresh_from_db()
    assert row.channel_id is None
    assert row.account_id == account.pk


def test_link_is_idempotent_and_moves_between_accounts(
    source: CustomerSource, make_account: Callable[..., Account], admin: User
) -> None:
    first, second = make_account("First"), make_account("Second")
    row = customer_association_link(source_type=SOURCE, source_id=first.pk, account=first, actor=admin)
    again = customer_association_link(source_type=SOURCE, source_id=first.pk, account=first, actor=admin)
    assert row.pk == again.pk
    moved = customer_association_link(source_type=SOURCE, source_id=first.pk, account=second, actor=admin)
    assert moved.pk == row.pk
    assert moved.account_id == second.pk
    assert CustomerAssociation.objects.filter(source_type=SOURCE).count() == 1
    records = source.fetch([first.pk, 999999])
    assert list(records) == [first.pk]
    assert records[first.pk].name == "First"


def test_account_self_row_is_created_once(make_account: Callable[..., Account]) -> None:
    account = make_account()
    assert customer_association_for_account(account=account).pk == (
        customer_association_for_account(account=account).pk
    )
    assert CustomerAssociation.objects.filter(account=account).count() == 1


def test_unlink_deletes_the_row_and_is_false_when_not_linked(
    source: CustomerSource, make_account: Callable[..., Account], admin: User
) -> None:
    account = make_account()
    customer_association_link(source_type=SOURCE, source_id=3, account=account, actor=admin)
    assert customer_association_unlink(source_type=SOURCE, source_id=3, actor=admin)
    assert not customer_association_unlink(source_type=SOURCE, source_id=3, actor=admin)
    assert list(CustomerAssociation.objects.values_list("source_type", flat=True)) == [None]


def test_unknown_source_types_are_a_programming_error(make_account: Callable[..., Account]) -> None:
    with pytest.raises(ValueError, match="not a registered customer source"):
        customer_association_link(source_type="nope", source_id=1, account=make_account())


def test_unlinking_a_customer_keeps_its_opportunities_on_the_account(
    admin: User,
    make_account: Callable[..., Account],
    make_bc: Callable[..., object],
    make_opportunity: Callable[..., object],
) -> None:
    """§2.1 "Deleting a commerce customer": the hub row goes, what hung off it stays with the account."""
    account = make_account()
    customer: Any = make_bc("BC", account)
    deal: Any = make_opportunity("Deal", customer=customer)
    assert customer_association_unlink(
        source_type="crm.business_customer", source_id=customer.pk, actor=admin
    )
    deal.refresh_from_db()
    assert deal.customer_association.account_id == account.pk
    assert deal.customer_association.source_type is None


def test_deleting_a_channel_deletes_its_lifetime_history(tree: Tree, admin: User, make_account: Any) -> None:
    """oro-spec #92 (Accord channels have no integration of their own to delete)."""
    from django.utils import timezone

    from accord.crm.models import LifetimeValueHistory

    channel = channel_create(organization=tree.org, name="B2B", channel_type="b2b", actor=admin)
    account = make_account()
    LifetimeValueHistory.objects.create(account=account, channel=channel, amount=5, created_at=timezone.now())
    LifetimeValueHistory.objects.create(account=account, channel=None, amount=7, created_at=timezone.now())
    channel_delete(channel=channel, actor=admin)
    assert list(LifetimeValueHistory.objects.values_list("amount", flat=True)) == [7]


def test_fetch_with_a_user_keeps_only_the_records_its_acl_shows(
    make_account: Callable[..., Account], make_user: Callable[..., User], tree: Tree, admin: User
) -> None:
    """The records' own ownership columns decide, as `acl.visible` would; no user: no ACL."""
    from accord.platform.models import AccessLevel

    viewer = make_user("viewer", unit=tree.sales, grants={"crm.account": {"view": AccessLevel.USER}})
    blind = make_user("blind", unit=tree.sales, grants={})
    mine = make_account("Mine", owner=viewer, actor=admin)
    theirs = make_account("Theirs", actor=admin)
    ids = [mine.pk, theirs.pk, 999999]
    checked = CustomerSource("test.checked", "Checked", "crm.Account", entity="crm.account")
    with customer_sources.temporarily("test.checked", checked):
        assert list(checked.fetch(ids, viewer)) == [mine.pk]
        assert checked.fetch(ids, blind) == {}
        assert sorted(checked.fetch(ids, admin)) == sorted([mine.pk, theirs.pk])
        assert sorted(checked.fetch(ids)) == sorted([mine.pk, theirs.pk])
