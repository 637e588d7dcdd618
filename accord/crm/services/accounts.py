"""Accounts: create, edit (default contact joins the contacts), delete (contacts survive, §2.1)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from accord.crm import signals
from accord.crm.models import Account, Contact, CustomerAssociation
from accord.crm.services._common import KEEP, check_same_org, clean_text, ids, owner_for, set_owner
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.account"


def _clean_name(name: str | None) -> str:
    return clean_text(name, field="name", required="A name is required.")


def _clean_external_id(value: str | None, organization_id: Any, exclude_pk: int | None) -> str | None:
    value = (value or "").strip() or None
    if value is None:
        return None
    if len(value) > 255:
        raise ValidationFailed({"external_id": "At most 255 characters."})
    clash = Account.objects.filter(organization_id=organization_id, external_id=value)
    if clash.exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"external_id": "Another account has this external id."})
    return value


def _check_referred_by(account: Account | None, referred_by: Account | None) -> None:
    if referred_by is not None and account is not None and referred_by.pk == account.pk:
        raise ValidationFailed({"referred_by_id": "An account cannot refer itself."})


def account_create(
    *,
    name: str,
    actor: Any,
    owner: User | None = None,
    default_contact: Contact | None = None,
    referred_by: Account | None = None,
    description: str = "",
    external_id: str | None = None,
    contacts: Sequence[Contact] = (),
) -> Account:
    name = _clean_name(name)
    owner = owner_for(owner=owner, actor=actor)
    check_same_org(
        owner.organization_id,
        default_contact_id=default_contact,
        referred_by_id=referred_by,
        contact_ids=list(contacts),
    )
    members = {c.pk: c for c in contacts}
    if default_contact is not None:
        members.setdefault(default_contact.pk, default_contact)  # oro-spec #2
    with transaction.atomic():
        account = Account(
            name=name,
            default_contact=default_contact,
            referred_by=referred_by,
            description=description or "",
            external_id=_clean_external_id(external_id, owner.organization_id, None),
        )
        set_owner(account, owner)
        account.save()
        if members:
            account.contacts.set(list(members.values()))
        audit.record_create(instance=account, actor=actor, extra={"contacts": sorted(members)})
        search_index_update(entity=ENTITY, ids=[account.pk])
    return account


def account_update(
    *,
    account: Account,
    actor: Any,
    name: str | None = None,
    owner: User | None = None,
    default_contact: Contact | None = KEEP,
    referred_by: Account | None = KEEP,
    description: str | None = None,
    external_id: str | None = KEEP,
    contacts: Sequence[Contact] | None = None,
) -> Account:
    """Change what is given. Contacts given replace the list; the default contact always stays in it."""
    organization_id = account.organization_id
    check_same_org(
        organization_id,
        owner_id=owner,
        default_contact_id=None if default_contact is KEEP else default_contact,
        referred_by_id=None if referred_by is KEEP else referred_by,
        contact_ids=list(contacts or []),
    )
    if referred_by is not KEEP:
        _check_referred_by(account, referred_by)
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        old_contacts = ids(account.contacts.all())
        with audit.tracking(account, actor=actor) as extra:
            if name is not None:
                account.name = _clean_name(name)
            if owner is not None:
                set_owner(account, owner_for(owner=owner, actor=actor))
            if description is not None:
                account.description = description
            if external_id is not KEEP:
                account.external_id = _clean_external_id(external_id, organization_id, account.pk)
            if referred_by is not KEEP:
                account.referred_by = referred_by
            if default_contact is not KEEP:
                account.default_contact = default_contact
            new_contacts = set(old_contacts) if contacts is None else {c.pk for c in contacts}
            if account.default_contact_id is not None:
                new_contacts.add(account.default_contact_id)  # oro-spec #2
            account.save()
            if sorted(new_contacts) != old_contacts:
                account.contacts.set(sorted(new_contacts))
                extra["contacts"] = {"old": old_contacts, "new": sorted(new_contacts)}
        search_index_update(entity=ENTITY, ids=[account.pk])
    return account


def account_add_contacts(*, account: Account, contacts: Sequence[Contact], actor: Any) -> Account:
    """Link contacts to an account (keeps the ones it has)."""
    current = ids(account.contacts.all())
    return account_update(
        account=account, actor=actor, contacts=[*Contact.objects.filter(pk__in=current), *contacts]
    )


def account_delete(*, account: Account, actor: Any) -> None:
    """Delete an account: its contacts survive (only the links go), its hub rows go with it and the
    customer records they linked are detached (decision 0010), dependents of the rows cascade."""
    with transaction.atomic():
        account = Account.objects.select_for_update().get(pk=account.pk)
        links = list(
            CustomerAssociation.objects.filter(account=account, source_type__isnull=False).values_list(
                "source_type", "source_id"
            )
        )
        signals.announce(
            signals.account_deleted,
            Account,
            account_id=account.pk,
            organization_id=account.organization_id,
            links=links,
            actor_id=getattr(actor, "pk", None),
        )
        audit.record_delete(instance=account, actor=actor)
        pk = account.pk
        account.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
