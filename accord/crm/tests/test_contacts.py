"""Contacts and contact groups: rules of oro-spec §1.2 (checklist #4-#8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from accord.crm.models import Account, Contact, ContactGroup
from accord.crm.services.contact_groups import (
    contact_group_create,
    contact_group_delete,
    contact_group_update,
)
from accord.crm.services.contacts import contact_create, contact_delete, contact_update
from accord.platform.audit import history
from accord.platform.errors import ValidationFailed
from accord.platform.models import User

MakeContact = Callable[..., Contact]


def test_contact_needs_a_first_name_last_name_email_or_phone(admin: User) -> None:
    """oro-spec #4."""
    with pytest.raises(ValidationFailed) as exc:
        contact_create(actor=admin, job_title="CEO")
    assert "first_name" in exc.value.field_errors
    assert Contact.objects.count() == 0
    contact_create(actor=admin, first_name="Ann")
    contact_create(actor=admin, last_name="Lee")
    contact_create(actor=admin, emails=[{"email": "x@example.com", "primary": True}])
    contact_create(actor=admin, phones=[{"phone": "+1 555 0100", "primary": True}])
    assert Contact.objects.count() == 4


def test_removing_the_last_email_of_a_nameless_contact_is_refused(admin: User) -> None:
    """oro-spec #4 on edit."""
    contact = contact_create(actor=admin, emails=[{"email": "x@example.com", "primary": True}])
    with pytest.raises(ValidationFailed):
        contact_update(contact=contact, actor=admin, emails=[])
    assert contact.emails.count() == 1


@pytest.mark.parametrize("kind", ["emails", "phones", "addresses"])
def test_non_empty_lists_need_exactly_one_primary(admin: User, kind: str) -> None:
    """oro-spec #5: emails/phones/addresses contain exactly one primary item when non-empty."""
    item = {
        "emails": lambda i: {"email": f"a{i}@example.com"},
        "phones": lambda i: {"phone": f"555-010{i}"},
        "addresses": lambda i: {"street": f"{i} Main St", "city": "Oslo", "country": "NO"},
    }[kind]
    for primaries in ((False, False), (True, True)):
        rows = [{**item(i), "primary": p} for i, p in enumerate(primaries)]
        with pytest.raises(ValidationFailed) as exc:
            contact_create(actor=admin, first_name="Ann", **{kind: rows})
        assert kind in exc.value.field_errors
    rows = [{**item(i), "primary": p} for i, p in enumerate((False, True))]
    contact = contact_create(actor=admin, first_name="Ann", **{kind: rows})
    assert getattr(contact, kind).filter(primary=True).count() == 1
    assert contact_create(actor=admin, first_name="Bob").emails.count() == 0


def test_primary_email_and_phone_are_mirrored_on_the_contact(admin: User) -> None:
    contact = contact_create(
        actor=admin,
        first_name="Ann",
        emails=[{"email": "a@example.com"}, {"email": "b@example.com", "primary": True}],
        phones=[{"phone": "555-0100", "primary": True}],
    )
    contact.refresh_from_db()
    assert (contact.primary_email, contact.primary_phone) == ("b@example.com", "555-0100")
    contact_update(contact=contact, actor=admin, emails=[{"email": "c@example.com", "primary": True}])
    contact.refresh_from_db()
    assert contact.primary_email == "c@example.com"


def test_address_types_are_unique_across_a_contacts_addresses(admin: User) -> None:
    rows = [
        {"street": "1 A St", "types": ["billing"], "primary": True},
        {"street": "2 B St", "types": ["billing", "shipping"]},
    ]
    with pytest.raises(ValidationFailed) as exc:
        contact_create(actor=admin, first_name="Ann", addresses=rows)
    assert "addresses.1.types" in exc.value.field_errors
    rows[1]["types"] = ["shipping"]
    contact = contact_create(actor=admin, first_name="Ann", addresses=rows)
    assert [a.types for a in contact.addresses.order_by("id")] == [["billing"], ["shipping"]]


def test_gender_is_male_or_female_and_birthday_not_in_the_future(admin: User) -> None:
    """oro-spec #6."""
    with pytest.raises(ValidationFailed) as exc:
        contact_create(actor=admin, first_name="Ann", gender="other")
    assert "gender" in exc.value.field_errors
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        contact_create(actor=admin, first_name="Ann", birthday=tomorrow)
    assert "birthday" in exc.value.field_errors
    contact = contact_create(actor=admin, first_name="Ann", gender="female", birthday=timezone.localdate())
    assert contact.gender == "female"


def test_first_and_last_names_have_at_most_100_characters(admin: User) -> None:
    with pytest.raises(ValidationFailed) as exc:
        contact_create(actor=admin, first_name="x" * 101)
    assert "first_name" in exc.value.field_errors


def test_contact_group_labels_are_unique_and_have_three_characters(admin: User) -> None:
    """oro-spec #7."""
    contact_group_create(label="VIP", actor=admin)
    for bad in ("ab", "vip", "Vip"):
        with pytest.raises(ValidationFailed) as exc:
            contact_group_create(label=bad, actor=admin)
        assert "label" in exc.value.field_errors
    group = contact_group_create(label="Partners", actor=admin)
    with pytest.raises(ValidationFailed):
        contact_group_update(group=group, label="VIP", actor=admin)
    contact_group_update(group=group, label="Key partners", actor=admin)
    assert ContactGroup.objects.filter(label="Key partners").exists()


def test_a_contact_can_be_in_several_groups_and_deleting_a_group_keeps_it(admin: User) -> None:
    """oro-spec #8."""
    vip = contact_group_create(label="VIP", actor=admin)
    press = contact_group_create(label="Press", actor=admin)
    contact = contact_create(actor=admin, first_name="Ann", groups=[vip, press])
    assert set(contact.groups.all()) == {vip, press}
    contact_group_delete(group=vip, actor=admin)
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert list(contact.groups.all()) == [press]


def test_deleting_a_contact_keeps_its_accounts_and_clears_the_default(admin: User) -> None:
    from accord.crm.services.accounts import account_create

    contact = contact_create(actor=admin, first_name="Ann")
    account = account_create(name="Acme", actor=admin, default_contact=contact)
    contact_delete(contact=contact, actor=admin)
    account.refresh_from_db()
    assert account.default_contact is None
    assert Account.objects.filter(pk=account.pk).exists()
    assert [e.action for e in history("crm.contact", contact.pk or 0)] == []


def test_leaving_an_account_clears_its_default_contact(admin: User) -> None:
    from accord.crm.services.accounts import account_create

    contact = contact_create(actor=admin, first_name="Ann")
    account = account_create(name="Acme", actor=admin, default_contact=contact)
    contact_update(contact=contact, actor=admin, accounts=[])
    account.refresh_from_db()
    assert account.default_contact is None
    assert account.contacts.count() == 0


def test_contact_changes_are_audited(admin: User) -> None:
    contact = contact_create(
        actor=admin, first_name="Ann", emails=[{"email": "a@example.com", "primary": True}]
    )
    contact_update(contact=contact, actor=admin, job_title="CTO", emails=[])
    entry = list(history("crm.contact", contact.pk))[0]
    assert entry.changes["job_title"] == {"old": "", "new": "CTO"}
    assert entry.changes["emails"] == {"old": ["a@example.com (primary)"], "new": []}
