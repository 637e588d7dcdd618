"""Contacts: create, edit, delete. A contact needs a first name, a last name, an email or a phone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.crm.models import Account, Contact, ContactGroup, ContactMethod, ContactSource, Gender
from accord.crm.services import contact_details as details
from accord.crm.services._common import KEEP, check_same_org, clean_choice, ids, owner_for, set_owner
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.contact"
TEXT_FIELDS = {
    "name_prefix": 255,
    "first_name": 100,
    "middle_name": 255,
    "last_name": 100,
    "name_suffix": 255,
    "job_title": 255,
    "fax": 255,
    "skype": 255,
    "twitter": 255,
    "facebook": 255,
    "linkedin": 255,
    "google_plus": 255,
}
CHOICES = {"gender": Gender, "source": ContactSource, "method": ContactMethod}
Items = Sequence[Mapping[str, Any]]


def _clean_scalars(values: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        if value is KEEP:
            continue
        if name in TEXT_FIELDS:
            value = (value or "").strip()
            if len(value) > TEXT_FIELDS[name]:
                errors[name] = f"At most {TEXT_FIELDS[name]} characters."
        elif name in CHOICES:
            try:
                value = clean_choice(value, CHOICES[name], name)
            except ValidationFailed as exc:
                errors.update({k: v[0] for k, v in exc.field_errors.items()})
        elif name == "birthday" and value is not None and value > timezone.localdate():
            errors["birthday"] = "The birthday cannot be in the future."  # oro-spec #6
        elif name == "description":
            value = value or ""
        cleaned[name] = value
    return cleaned


def _clean_lists(
    emails: Items | None, phones: Items | None, addresses: Items | None, errors: dict[str, str]
) -> tuple[list[dict[str, Any]] | None, ...]:
    return (
        None if emails is None else details.clean_emails(emails, errors),
        None if phones is None else details.clean_phones(phones, errors),
        None if addresses is None else details.clean_addresses(addresses, errors),
    )


def _check_identity(contact: Contact, has_email: bool, has_phone: bool) -> None:
    """oro-spec #4: first name, last name, an email or a phone."""
    if not (contact.first_name or contact.last_name or has_email or has_phone):
        raise ValidationFailed(
            {"first_name": "A contact needs a first name, a last name, an email or a phone."}
        )


def contact_create(
    *,
    actor: Any,
    owner: User | None = None,
    assigned_to: User | None = None,
    reports_to: Contact | None = None,
    birthday: dt.date | None = None,
    emails: Items = (),
    phones: Items = (),
    addresses: Items = (),
    groups: Sequence[ContactGroup] = (),
    accounts: Sequence[Account] = (),
    **fields: Any,
) -> Contact:
    """Create a contact; `fields` are the text and choice fields (first_name, gender, source, ...)."""
    unknown = set(fields) - set(TEXT_FIELDS) - set(CHOICES) - {"description"}
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    owner = owner_for(owner=owner, actor=actor)
    check_same_org(
        owner.organization_id,
        assigned_to_id=assigned_to,
        reports_to_id=reports_to,
        group_ids=list(groups),
        account_ids=list(accounts),
    )
    errors: dict[str, str] = {}
    values = _clean_scalars({**fields, "birthday": birthday}, errors)
    email_rows, phone_rows, address_rows = _clean_lists(emails, phones, addresses, errors)
    if errors:
        raise ValidationFailed(errors)
    contact = Contact(assigned_to=assigned_to, reports_to=reports_to, **values)
    _check_identity(contact, bool(email_rows), bool(phone_rows))
    set_owner(contact, owner)
    with transaction.atomic():
        contact.save()
        details.replace_details(contact=contact, emails=email_rows, phones=phone_rows, addresses=address_rows)
        details.sync_primary(contact)
        if groups:
            contact.groups.set(groups)
        if accounts:
            contact.accounts.set(accounts)
        audit.record_create(
            instance=contact,
            actor=actor,
            extra={
                "emails": [r["email"] for r in email_rows or []],
                "phones": [r["phone"] for r in phone_rows or []],
                "groups": ids(groups),
                "accounts": ids(accounts),
            },
        )
        search_index_update(entity=ENTITY, ids=[contact.pk])
        search_index_update(entity="crm.account", ids=[a.pk for a in accounts])
    return contact


def contact_update(
    *,
    contact: Contact,
    actor: Any,
    owner: User | None = None,
    assigned_to: User | None = KEEP,
    reports_to: Contact | None = KEEP,
    birthday: dt.date | None = KEEP,
    emails: Items | None = None,
    phones: Items | None = None,
    addresses: Items | None = None,
    groups: Sequence[ContactGroup] | None = None,
    accounts: Sequence[Account] | None = None,
    **fields: Any,
) -> Contact:
    """Change what is given; lists given replace the contact's lists."""
    unknown = set(fields) - set(TEXT_FIELDS) - set(CHOICES) - {"description"}
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    org = contact.organization_id
    check_same_org(
        org,
        owner_id=owner,
        assigned_to_id=None if assigned_to is KEEP else assigned_to,
        reports_to_id=None if reports_to is KEEP else reports_to,
        group_ids=list(groups or []),
        account_ids=list(accounts or []),
    )
    if reports_to is not KEEP and reports_to is not None and reports_to.pk == contact.pk:
        raise ValidationFailed({"reports_to_id": "A contact cannot report to itself."})
    errors: dict[str, str] = {}
    values = _clean_scalars({**fields, "birthday": birthday}, errors)
    email_rows, phone_rows, address_rows = _clean_lists(emails, phones, addresses, errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        contact = Contact.objects.select_for_update().get(pk=contact.pk)
        old_accounts = ids(contact.accounts.all())
        with audit.tracking(contact, actor=actor) as extra:
            for name, value in values.items():
                setattr(contact, name, value)
            if assigned_to is not KEEP:
                contact.assigned_to = assigned_to
            if reports_to is not KEEP:
                contact.reports_to = reports_to
            if owner is not None:
                set_owner(contact, owner_for(owner=owner, actor=actor))
            has_email = bool(email_rows) if email_rows is not None else contact.emails.exists()
            has_phone = bool(phone_rows) if phone_rows is not None else contact.phones.exists()
            _check_identity(contact, has_email, has_phone)
            contact.save()
            extra.update(
                details.replace_details(
                    contact=contact, emails=email_rows, phones=phone_rows, addresses=address_rows
                )
            )
            details.sync_primary(contact)
            extra.update(_set_many(contact, "groups", groups))
            extra.update(_set_many(contact, "accounts", accounts))
        search_index_update(entity=ENTITY, ids=[contact.pk])
        touched = set(old_accounts) | {a.pk for a in accounts or []}
        search_index_update(entity="crm.account", ids=sorted(touched))
    return contact


def _set_many(contact: Contact, name: str, records: Sequence[Any] | None) -> dict[str, dict[str, Any]]:
    if records is None:
        return {}
    manager = getattr(contact, name)
    old = ids(manager.all())
    new = ids(records)
    if old == new:
        return {}
    manager.set(records)
    if name == "accounts":
        # An account whose default contact leaves it keeps no default (oro-spec #2 kept both ways).
        Account.objects.filter(pk__in=set(old) - set(new), default_contact=contact).update(
            default_contact=None
        )
    return {name: {"old": old, "new": new}}


def contact_delete(*, contact: Contact, actor: Any) -> None:
    """Delete a contact: group memberships and account links go; the accounts and groups stay."""
    with transaction.atomic():
        account_ids = ids(contact.accounts.all())
        audit.record_delete(instance=contact, actor=actor)
        pk = contact.pk
        contact.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
        search_index_update(entity="crm.account", ids=account_ids)
