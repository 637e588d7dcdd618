"""Accounts: rules of oro-spec §1.1 and §2.1 (deleting an account)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from accord.crm.models import Account, Contact, CustomerAssociation
from accord.crm.registries import CustomerSource, customer_sources
from accord.crm.services.accounts import account_delete, account_update
from accord.crm.services.associations import customer_association_link
from accord.platform.audit import history
from accord.platform.errors import ValidationFailed
from accord.platform.models import User

MakeAccount = Callable[..., Account]
MakeContact = Callable[..., Contact]


def test_account_requires_a_non_blank_name_of_at_most_255_characters(make_account: MakeAccount) -> None:
    """oro-spec #1: name required, ≤255; created_at/updated_at set automatically in UTC."""
    for bad in ("", "   ", "x" * 256):
        with pytest.raises(ValidationFailed) as exc:
            make_account(bad)
        assert "name" in exc.value.field_errors
    account = make_account("x" * 255)
    assert account.created_at.tzinfo is not None
    assert account.created_at.utcoffset() == dt.timedelta(0)
    assert account.updated_at >= account.created_at
    assert Account.objects.count() == 1


def test_setting_the_default_contact_adds_it_to_the_contacts(
    make_account: MakeAccount, make_contact: MakeContact, admin: User
) -> None:
    """oro-spec #2: the default contact joins the account's contacts if absent."""
    ann, bob = make_contact("Ann"), make_contact("Bob")
    account = make_account(default_contact=ann)
    assert list(account.contacts.all()) == [ann]
    account_update(account=account, actor=admin, default_contact=bob)
    assert set(account.contacts.all()) == {ann, bob}
    account_update(account=account, actor=admin, contacts=[ann])
    account.refresh_from_db()
    assert account.default_contact == bob
    assert set(account.contacts.all()) == {ann, bob}


def test_a_contact_belongs_to_many_accounts_and_survives_deleting_one(
    make_account: MakeAccount, make_contact: MakeContact, admin: User
) -> None:
    """oro-spec #3: many accounts per contact; deleting an account keeps its contacts."""
    ann = make_contact("Ann")
    first = make_account("First", contacts=[ann], default_contact=ann)
    second = make_account("Second", contacts=[ann])
    assert set(ann.accounts.all()) == {first, second}
    account_delete(account=first, actor=admin)
    assert Contact.objects.filter(pk=ann.pk).exists()
    assert list(ann.accounts.all()) == [second]


def test_deleting_an_account_removes_its_hub_rows_and_audits(make_account: MakeAccount, admin: User) -> None:
    """§2.1: the account's customer associations go with it; the customer records are detached."""
    account = make_account()
    other = make_account("Other")
    with customer_sources.temporarily("test.customer", CustomerSource("test.customer", "T", "crm.Account")):
        customer_association_link(source_type="test.customer", source_id=5, account=account, actor=admin)
        customer_association_link(source_type="test.customer", source_id=6, account=other, actor=admin)
    pk = account.pk
    account_delete(account=account, actor=admin)
    assert not CustomerAssociation.objects.filter(account_id=pk).exists()
    assert CustomerAssociation.objects.filter(account=other).count() == 1
    assert [e.action for e in history("crm.account", pk)][0] == "delete"


def test_referred_by_cannot_be_the_account_itself(make_account: MakeAccount, admin: User) -> None:
    account = make_account()
    with pytest.raises(ValidationFailed) as exc:
        account_update(account=account, actor=admin, referred_by=account)
    assert "referred_by_id" in exc.value.field_errors


def test_account_changes_are_audited_with_contacts(
    make_account: MakeAccount, make_contact: MakeContact, admin: User
) -> None:
    ann = make_contact("Ann")
    account = make_account("Old")
    account_update(account=account, actor=admin, name="New", contacts=[ann])
    entry = list(history("crm.account", account.pk))[0]
    assert entry.changes["name"] == {"old": "Old", "new": "New"}
    assert entry.changes["contacts"] == {"old": [], "new": [ann.pk]}


def test_records_of_another_organization_are_refused(
    make_account: MakeAccount, make_user: Callable[..., Any], tree: Any
) -> None:
    stranger = make_user("stranger", unit=tree.other_main, roles=["administrator"])
    theirs = make_account("Theirs", actor=stranger)
    with pytest.raises(ValidationFailed) as exc:
        make_account("Ours", referred_by=theirs)
    assert "referred_by_id" in exc.value.field_errors


def test_external_id_clash_is_a_field_error(make_account: MakeAccount) -> None:
    make_account("A", external_id="EXT-1")
    with pytest.raises(ValidationFailed) as exc:
        make_account("B", external_id="EXT-1")
    assert "external_id" in exc.value.field_errors
