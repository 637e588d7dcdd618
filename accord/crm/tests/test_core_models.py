"""The core CRM schema: default groups after install, the hub's constraints, the registries."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from accord.crm.models import Account, Channel, ContactGroup, CustomerAssociation
from accord.crm.registries import channel_entities, channel_types
from accord.crm.services.contact_groups import DEFAULT_GROUPS, contact_groups_ensure_defaults
from accord.platform.tests.fixtures import Tree


def _account(tree: Tree, name: str = "Acme") -> Account:
    return Account.objects.create(name=name, organization=tree.org, business_unit=tree.main)


def test_default_contact_groups_exist_after_migrate_in_every_organization(tree: Tree) -> None:
    """oro-spec #7: "Sales Group" and "Marketing Group" exist after install (idempotently)."""
    call_command("migrate", verbosity=0)
    call_command("migrate", verbosity=0)
    for org in (tree.org, tree.other_org):
        labels = sorted(ContactGroup.objects.filter(organization=org).values_list("label", flat=True))
        assert labels == sorted(DEFAULT_GROUPS)
    assert contact_groups_ensure_defaults(organization=tree.org) == 0


def test_hub_allows_one_self_row_per_account_and_one_row_per_source(tree: Tree) -> None:
    account = _account(tree)
    other = _account(tree, "Other")
    CustomerAssociation.objects.create(account=account)
    CustomerAssociation.objects.create(account=account, source_type="crm.business_customer", source_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAssociation.objects.create(account=account)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAssociation.objects.create(account=other, source_type="crm.business_customer", source_id=7)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomerAssociation.objects.create(account=other, source_type="crm.business_customer")
    CustomerAssociation.objects.create(account=other, source_type="commerce.customer", source_id=7)
    assert CustomerAssociation.objects.count() == 3


def test_external_id_is_unique_per_organization_when_set(tree: Tree) -> None:
    Account.objects.create(name="A", organization=tree.org, business_unit=tree.main, external_id="X1")
    Account.objects.create(name="B", organization=tree.org, business_unit=tree.main)
    Account.objects.create(name="C", organization=tree.org, business_unit=tree.main)
    Account.objects.create(
        name="D", organization=tree.other_org, business_unit=tree.other_main, external_id="X1"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(name="E", organization=tree.org, business_unit=tree.main, external_id="X1")


def test_custom_and_b2b_channel_types_are_registered(db: Any) -> None:
    assert {"custom", "b2b"} <= set(channel_types.keys())
    assert not channel_types.get("b2b").system
    assert channel_types.get("b2b").customer_identity == "crm.business_customer"
    assert "crm.business_customer" in channel_entities()
    assert "crm.account" not in channel_entities()


def test_channel_defaults_to_inactive(tree: Tree) -> None:
    channel = Channel.objects.create(
        name="Sales", channel_type="b2b", customer_identity="crm.business_customer", organization=tree.org
    )
    assert channel.status == "inactive"
    assert not channel.is_active
