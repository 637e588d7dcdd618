"""Merging contacts (oro-spec §2.9 "Contacts are also mergeable") and undoing it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.crm.models import (
    Account,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactGroup,
    ContactPhone,
    Merge,
)
from accord.crm.services.accounts import account_create
from accord.crm.services.contact_groups import contact_group_create
from accord.crm.services.contact_merges import contacts_merge
from accord.crm.services.contacts import contact_create, contact_update
from accord.crm.services.merges import merge_undo
from accord.platform.errors import Conflict
from accord.platform.models import Activity, User
from accord.platform.services.activities import activity_create


def _state() -> dict[str, Any]:
    tables = {
        "contacts": Contact.objects.order_by("pk").values(),
        "emails": ContactEmail.objects.order_by("pk").values(),
        "phones": ContactPhone.objects.order_by("pk").values(),
        "addresses": ContactAddress.objects.order_by("pk").values(),
        "groups": Contact.groups.through.objects.order_by("pk").values("contact_id", "contactgroup_id"),
        "accounts": Account.objects.order_by("pk").values(),
        "account_contacts": Account.contacts.through.objects.order_by("pk").values(
            "account_id", "contact_id"
        ),
        "activities": Activity.objects.order_by("pk").values(),
    }
    return {name: sorted(map(str, rows)) for name, rows in tables.items()}


def test_contact_merge_appends_details_keeps_one_primary_and_moves_links(admin: User) -> None:
    vip = contact_group_create(label="VIP", actor=admin)
    master = contact_create(
        actor=admin, first_name="Ann", emails=[{"email": "ann@example.com", "primary": True}]
    )
    other = contact_create(
        actor=admin,
        first_name="Anne",
        last_name="Lee",
        emails=[{"email": "ANN@example.com", "primary": True}, {"email": "lee@example.com"}],
        phones=[{"phone": "555", "primary": True}],
        addresses=[{"street": "1 Main", "types": ["billing"], "primary": True}],
        groups=[vip],
    )
    account = account_create(name="Acme", actor=admin, default_contact=other)
    activity_create(actor=admin, target_entity="crm.contact", target_id=other.pk, kind="note", subject="Met")
    result = contacts_merge(master=master, others=[other], field_choices={"last_name": other.pk}, actor=admin)
    master.refresh_from_db()
    assert (master.first_name, master.last_name) == ("Ann", "Lee")
    assert list(master.emails.values_list("email", "primary")) == [
        ("ann@example.com", True),
        ("lee@example.com", False),
    ]
    assert master.primary_phone == "555"
    assert master.addresses.get().types == ["billing"]
    assert list(master.groups.all()) == [vip]
    account.refresh_from_db()
    assert account.default_contact_id == master.pk
    assert list(account.contacts.all()) == [master]
    assert Activity.objects.get().target_id == master.pk
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert result.merge is not None
    assert result.merge.entity == "crm.contact"


def test_contact_merge_undo_and_conflict(admin: User) -> None:
    master = contact_create(actor=admin, first_name="A")
    other = contact_create(actor=admin, first_name="B", phones=[{"phone": "1", "primary": True}])
    before = _state()
    merge = contacts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    merge_undo(merge=merge, actor=admin)
    assert _state() == before
    merge = contacts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    contact_update(contact=master, actor=admin, job_title="Changed")
    with pytest.raises(Conflict, match="edited since the merge"):
        merge_undo(merge=merge, actor=admin)


def test_api_contact_merge_and_undo(api_as: Any, admin: User) -> None:
    api = api_as(admin)
    first, second = contact_create(actor=admin, first_name="A"), contact_create(actor=admin, first_name="B")
    preview = api.post("contacts/merge", {"master_id": first.pk, "contact_ids": [second.pk], "dry_run": True})
    assert preview.status_code == 200
    assert Contact.objects.count() == 2
    merged = api.post("contacts/merge", {"master_id": first.pk, "contact_ids": [second.pk]})
    assert merged.status_code == 201, merged.json()
    assert merged.json()["entity"] == "crm.contact"
    assert api.get("merges", entity="crm.contact").json()["count"] == 1
    assert api.post(f"merges/{merged.json()['id']}/undo").status_code == 200
    assert Contact.objects.count() == 2
    assert Merge.objects.get().status == "undone"


class _Rollback(Exception):
    pass


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_contact_merge_then_undo_returns_the_database_to_the_state_before(admin: User, data: Any) -> None:
    """Random contacts with random emails, phones, addresses, groups, accounts (some as default
    contact), reports-to links and activities: merge then undo leaves the tables as they were."""
    try:
        with transaction.atomic():
            _random(admin, data)
            raise _Rollback
    except _Rollback:
        pass


def _random(admin: User, data: Any) -> None:
    groups = [
        ContactGroup.objects.create(
            label=f"G{i}", organization=admin.organization, business_unit=admin.business_unit
        )
        for i in range(2)
    ]
    contacts: list[Contact] = []
    for i in range(data.draw(st.integers(2, 4), label="contacts")):
        emails = [
            f"p{i}.{n}@example.com" if data.draw(st.booleans()) else "shared@example.com"
            for n in range(data.draw(st.integers(0, 2)))
        ]
        emails = list(dict.fromkeys(emails))
        types = data.draw(st.sampled_from([[], ["billing"], ["shipping"], ["billing", "shipping"]]))
        contacts.append(
            contact_create(
                actor=admin,
                first_name=f"P{i}",
                reports_to=data.draw(st.sampled_from([None, *contacts])),
                emails=[{"email": e, "primary": n == 0} for n, e in enumerate(emails)],
                phones=[{"phone": f"55{i}", "primary": True}] if data.draw(st.booleans()) else [],
                addresses=[{"street": f"{i} St", "types": types, "primary": True}]
                if data.draw(st.booleans())
                else [],
                groups=data.draw(st.lists(st.sampled_from(groups), unique=True)),
            )
        )
    for n in range(data.draw(st.integers(0, 3))):
        members = data.draw(st.lists(st.sampled_from(contacts), unique=True, max_size=3))
        account_create(
            name=f"A{n}",
            actor=admin,
            contacts=members,
            default_contact=data.draw(st.sampled_from([None, *members])),
        )
    for contact in data.draw(st.lists(st.sampled_from(contacts), max_size=3)):
        activity_create(
            actor=admin, target_entity="crm.contact", target_id=contact.pk, kind="note", subject="n"
        )
    master = data.draw(st.sampled_from(contacts))
    ids = [c.pk for c in contacts]
    choices = {
        name: data.draw(st.sampled_from(ids)) for name in ("first_name", "reports_to", "emails", "groups")
    }
    modes = {
        name: data.draw(st.sampled_from(["append", "replace"]))
        for name in ("emails", "phones", "addresses", "groups", "accounts")
    }
    before = _state()
    merge = contacts_merge(
        master=master,
        others=[c for c in contacts if c.pk != master.pk],
        field_choices=choices,
        collections=modes,
        actor=admin,
    ).merge
    assert merge is not None
    assert ContactEmail.objects.filter(contact=master, primary=True).count() <= 1
    merge_undo(merge=merge, actor=admin)
    assert _state() == before


def test_console_contact_merge_wizard(console_as: Any, admin: User) -> None:
    from django.urls import reverse

    console = console_as(admin)
    first = contact_create(
        actor=admin, first_name="Ann", emails=[{"email": "a@example.com", "primary": True}]
    )
    second = contact_create(
        actor=admin, first_name="Anne", emails=[{"email": "b@example.com", "primary": True}]
    )
    grid = console.get(reverse("console:contacts_list")).content.decode()
    assert 'form="contact-merge"' in grid
    url = reverse("console:contacts_merge")
    assert console.get(url, {"ids": [first.pk, second.pk]}).status_code == 200
    data = {
        "ids": [first.pk, second.pk],
        "master": first.pk,
        "choice_first_name": second.pk,
        "mode_emails": "append",
    }
    assert "merge-preview" in console.post(url, {**data, "action": "preview"}).content.decode()
    assert console.post(url, {**data, "action": "merge"}).status_code == 302
    first.refresh_from_db()
    assert first.first_name == "Anne"
    assert first.emails.count() == 2
    merge = Merge.objects.get()
    assert console.post(reverse("console:merges_undo", args=[merge.pk])).status_code == 302
    assert Contact.objects.count() == 2
