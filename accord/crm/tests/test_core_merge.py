"""Merging accounts (oro-spec §2.9, #82-#87) and undoing a merge (Accord goes further)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.crm.models import Account, BusinessCustomer, Contact, CustomerAssociation, Merge, Opportunity
from accord.crm.registries import CustomerSource, customer_sources
from accord.crm.services.accounts import account_create, account_update
from accord.crm.services.associations import customer_association_for_account, customer_association_link
from accord.crm.services.contacts import contact_create
from accord.crm.services.merges import accounts_merge, merge_undo
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import Activity, User
from accord.platform.services.activities import activity_create

SOURCE = "test.customer"


@pytest.fixture
def source() -> Iterator[CustomerSource]:
    with customer_sources.temporarily(SOURCE, CustomerSource(SOURCE, "Test", "crm.Account")) as item:
        yield item


def _state() -> dict[str, Any]:
    """The rows a merge touches, as stored (audit, search and merge records left out)."""
    tables = {
        "accounts": Account.objects.order_by("pk").values(),
        "account_contacts": Account.contacts.through.objects.order_by("pk").values(
            "account_id", "contact_id"
        ),
        "hub": CustomerAssociation.objects.order_by("pk").values(),
        "contacts": Contact.objects.order_by("pk").values(),
        "activities": Activity.objects.order_by("pk").values(),
        "business_customers": BusinessCustomer.objects.order_by("pk").values(),
        "opportunities": Opportunity.objects.order_by("pk").values(),
    }
    return {name: sorted(map(str, rows)) for name, rows in tables.items()}


def test_merge_takes_chosen_fields_appends_contacts_moves_links_and_deletes_the_others(
    admin: User, make_account: Callable[..., Account], make_contact: Callable[..., Contact], source: Any
) -> None:
    """oro-spec #83-#87 (and #82 without the cap of 5: three accounts here, any number works)."""
    ann, bob, cat = make_contact("Ann"), make_contact("Bob"), make_contact("Cat")
    master = make_account("Acme", contacts=[ann], description="master text")
    second = make_account("ACME Corp", contacts=[ann, bob], description="better text", default_contact=bob)
    third = make_account("Acme Inc", contacts=[cat])
    customer_association_link(source_type=SOURCE, source_id=101, account=second)
    own = customer_association_for_account(account=third)
    activity_create(
        actor=admin, target_entity="crm.account", target_id=third.pk, kind="note", subject="Hello"
    )
    result = accounts_merge(
        master=master,
        others=[second, third],
        field_choices={"description": second.pk, "default_contact": second.pk},
        actor=admin,
    )
    master.refresh_from_db()
    assert (master.name, master.description, master.default_contact_id) == ("Acme", "better text", bob.pk)
    assert set(master.contacts.all()) == {ann, bob, cat}
    assert not Account.objects.filter(pk__in=[second.pk, third.pk]).exists()
    assert CustomerAssociation.objects.get(source_type=SOURCE).account_id == master.pk
    assert not CustomerAssociation.objects.filter(pk=own.pk).exists()
    assert Activity.objects.get(subject="Hello").target_id == master.pk
    assert result.merge is not None
    assert result.summary["customer_links"] == [[SOURCE, 101]]
    assert result.summary["fields"]["description"] == {"old": "master text", "new": "better text"}


def test_replace_takes_the_contacts_of_the_chosen_record(
    admin: User, make_account: Any, make_contact: Any
) -> None:
    """oro-spec #85: collections can be replaced."""
    ann, bob = make_contact("Ann"), make_contact("Bob")
    master, other = make_account("A", contacts=[ann]), make_account("B", contacts=[bob])
    accounts_merge(
        master=master,
        others=[other],
        field_choices={"contacts": other.pk},
        collections={"contacts": "replace"},
        actor=admin,
    )
    assert list(master.contacts.all()) == [bob]


def test_dry_run_returns_what_would_change_and_writes_nothing(admin: User, make_account: Any) -> None:
    master, other = make_account("A"), make_account("B", description="x")
    before = _state()
    result = accounts_merge(
        master=master, others=[other], field_choices={"description": other.pk}, dry_run=True, actor=admin
    )
    assert result.merge is None
    assert result.summary["fields"]["description"] == {"old": "", "new": "x"}
    assert result.summary["deleted_account_ids"] == [other.pk]
    assert _state() == before
    assert not Merge.objects.exists()


def test_merge_needs_two_accounts_of_one_organization_and_valid_choices(
    admin: User, make_account: Any, make_user: Any, tree: Any
) -> None:
    master = make_account("A")
    with pytest.raises(ValidationFailed) as exc:
        accounts_merge(master=master, others=[master], actor=admin)
    assert "account_ids" in exc.value.field_errors
    stranger = make_user("stranger", unit=tree.other_main, roles=["administrator"])
    theirs = account_create(name="Theirs", actor=stranger)
    with pytest.raises(ValidationFailed):
        accounts_merge(master=master, others=[theirs], actor=admin)
    other = make_account("B")
    with pytest.raises(ValidationFailed) as exc:
        accounts_merge(master=master, others=[other], field_choices={"name": 999999}, actor=admin)
    assert "field_choices.name" in exc.value.field_errors
    assert Account.objects.count() == 3


def test_undo_restores_the_merged_accounts_and_every_moved_link(
    admin: User, make_account: Any, make_contact: Any, source: Any
) -> None:
    ann = make_contact("Ann")
    master, other = (
        make_account("A", contacts=[ann]),
        make_account("B", external_id="EXT", default_contact=ann),
    )
    customer_association_link(source_type=SOURCE, source_id=5, account=other)
    before = _state()
    merge = accounts_merge(
        master=master, others=[other], field_choices={"external_id": other.pk}, actor=admin
    ).merge
    assert merge is not None
    assert Account.objects.get(pk=master.pk).external_id == "EXT"
    merge_undo(merge=merge, actor=admin)
    assert _state() == before
    with pytest.raises(Conflict):
        merge_undo(merge=merge, actor=admin)


def test_undo_is_refused_with_a_clear_conflict_when_the_master_changed(
    admin: User, make_account: Any, source: Any
) -> None:
    master, other = make_account("A"), make_account("B")
    customer_association_link(source_type=SOURCE, source_id=5, account=other)
    merge = accounts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    account_update(account=master, actor=admin, name="Renamed")
    third = make_account("C")
    customer_association_link(source_type=SOURCE, source_id=5, account=third)
    with pytest.raises(Conflict) as exc:
        merge_undo(merge=merge, actor=admin)
    assert "was edited since the merge" in exc.value.message
    assert "no longer belong" in exc.value.message
    assert not Account.objects.filter(pk=other.pk).exists()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_merge_then_undo_returns_the_database_to_the_state_before(
    admin: User, source: Any, make_bc: Any, make_opportunity: Any, data: Any
) -> None:
    """For random accounts with random contacts, customer links, own hub rows, referrals,
    activities, business customers and opportunities, merge followed by undo leaves every touched
    table exactly as it was."""
    try:
        with transaction.atomic():
            _random_merge_and_undo(admin, data, make_bc, make_opportunity)
            raise _Rollback
    except _Rollback:
        pass  # each example starts from an empty database


class _Rollback(Exception):
    pass


def _random_merge_and_undo(admin: User, data: Any, make_bc: Any, make_opportunity: Any) -> None:
    n_accounts = data.draw(st.integers(2, 5), label="accounts")
    contacts = [contact_create(actor=admin, first_name=f"P{i}") for i in range(4)]
    accounts = []
    for i in range(n_accounts):
        members = data.draw(
            st.lists(st.sampled_from(contacts), unique=True, max_size=4), label=f"contacts{i}"
        )
        default = data.draw(st.sampled_from([None, *members]), label=f"default{i}")
        referred = data.draw(st.sampled_from([None, *accounts]), label=f"referred{i}")
        accounts.append(
            account_create(
                name=f"Acc{i}",
                actor=admin,
                contacts=members,
                default_contact=default,
                referred_by=referred,
                external_id=data.draw(st.sampled_from([None, f"X{i}"]), label=f"ext{i}"),
            )
        )
    for n in range(data.draw(st.integers(0, 6), label="links")):
        account = data.draw(st.sampled_from(accounts), label=f"link{n}")
        customer_association_link(source_type=SOURCE, source_id=1000 + n, account=account)
    for account in data.draw(st.lists(st.sampled_from(accounts), unique=True), label="own rows"):
        customer_association_for_account(account=account)
    for account in data.draw(st.lists(st.sampled_from(accounts)), label="activities"):
        activity_create(
            actor=admin, target_entity="crm.account", target_id=account.pk, kind="note", subject="n"
        )
    customers = [
        make_bc(f"BC{n}", a)
        for n, a in enumerate(data.draw(st.lists(st.sampled_from(accounts), max_size=3), label="bcs"))
    ]
    for n, target in enumerate(
        data.draw(st.lists(st.sampled_from(accounts + customers), max_size=4), label="deals")
    ):
        if isinstance(target, Account):
            make_opportunity(f"D{n}", account=target)
        else:
            make_opportunity(f"D{n}", customer=target)
    master = data.draw(st.sampled_from(accounts), label="master")
    others = [a for a in accounts if a.pk != master.pk]
    ids = [a.pk for a in accounts]
    choices = {
        name: data.draw(st.sampled_from(ids), label=name)
        for name in ("name", "description", "default_contact", "external_id", "referred_by")
    }
    mode = data.draw(st.sampled_from(["append", "replace"]), label="mode")
    if mode == "replace":
        choices["contacts"] = data.draw(st.sampled_from(ids), label="contacts source")
    before = _state()
    merge = accounts_merge(
        master=master, others=others, field_choices=choices, collections={"contacts": mode}, actor=admin
    ).merge
    assert merge is not None
    assert Account.objects.filter(pk__in=ids).count() == 1
    merge_undo(merge=merge, actor=admin)
    assert _state() == before


def test_after_merge_customers_and_opportunities_belong_to_the_master_and_undo_moves_them_back(
    admin: User, make_account: Any, make_bc: Any, make_opportunity: Any
) -> None:
    """oro-spec #86 (business customers and their hub links), #87 (opportunities, also those
    attached directly to a merged account), and undo."""
    master, other = make_account("Master"), make_account("Other")
    customer = make_bc("Other BC", other)
    on_customer = make_opportunity("Via customer", customer=customer)
    direct = make_opportunity("Direct", account=other)
    merge = accounts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    customer.refresh_from_db()
    on_customer.refresh_from_db()
    direct.refresh_from_db()
    assert customer.account_id == master.pk
    assert on_customer.customer_association.account_id == master.pk
    assert direct.customer_association.account_id == master.pk
    assert direct.customer_association.source_type is None
    merge_undo(merge=merge, actor=admin)
    customer.refresh_from_db()
    direct.refresh_from_db()
    assert customer.account_id == other.pk
    assert direct.customer_association.account_id == other.pk
    assert CustomerAssociation.objects.filter(account=master).count() == 0
