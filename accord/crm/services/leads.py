"""Leads: prospects, and their conversion into an opportunity for an existing or a new account
and contact (warning when a matching account or contact already exists)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models.functions import Lower

from accord.crm.models import (
    Account,
    Contact,
    ContactEmail,
    CustomerAssociation,
    Lead,
    LeadAddress,
    LeadEmail,
    LeadPhone,
    LeadSource,
    LeadStatus,
    Opportunity,
)
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.opportunities import Money, opportunity_create
from accord.crm.services.sales_common import (
    KEEP,
    association_org,
    check_same_org,
    clean_addresses,
    clean_choice,
    clean_emails,
    clean_phones,
    clean_text,
    owner_for,
    replace_children,
    set_owner,
)
from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User
from accord.platform.rows import instances_insert
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.lead"
Rows = Sequence[Mapping[str, Any]]
TEXT_FIELDS = (
    "name_prefix",
    "first_name",
    "middle_name",
    "last_name",
    "name_suffix",
    "company_name",
    "job_title",
    "website",
)
LIMITS = {"name_prefix": 64, "name_suffix": 64, "first_name": 100, "middle_name": 100, "last_name": 100}


def _texts(values: Mapping[str, Any]) -> dict[str, str]:
    return {
        name: clean_text(values[name], field=name, max_length=LIMITS.get(name, 255))
        for name in TEXT_FIELDS
        if values.get(name) is not None
    }


def _check_association(org_id: int | None, association: Any) -> None:
    if association is not None and association is not KEEP and association_org(association) != org_id:
        raise ValidationFailed({"customer_association_id": "It belongs to another organization."})


def _write_points(lead: Lead, emails: Any, phones: Any, addresses: Any) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for model, rows, name in (
        (LeadEmail, emails, "emails"),
        (LeadPhone, phones, "phones"),
        (LeadAddress, addresses, "addresses"),
    ):
        if rows is not None and replace_children(model, "lead", lead, rows):
            changed[name] = {"old": None, "new": len(rows)}
    return changed


def lead_create(
    *,
    name: str,
    actor: Any,
    status: str = LeadStatus.NEW,
    source: str = "",
    notes: str = "",
    customer_association: CustomerAssociation | None = None,
    contact: Contact | None = None,
    emails: Rows = (),
    phones: Rows = (),
    addresses: Rows = (),
    owner: User | None = None,
    **texts: str,
) -> Lead:
    unknown = set(texts) - set(TEXT_FIELDS)
    if unknown:
        raise TypeError(f"unknown lead fields: {sorted(unknown)}")
    owner = owner_for(owner=owner, actor=actor)
    lead = Lead(
        name=clean_text(name, field="name", required=True),
        status=clean_choice(status or LeadStatus.NEW, LeadStatus, "status", required=True),
        source=clean_choice(source, LeadSource, "source"),
        notes=notes or "",
        customer_association=customer_association,
        contact=contact,
        **_texts(texts),
    )
    _check_association(owner.organization_id, customer_association)
    check_same_org(owner.organization_id, contact_id=contact)
    points = (clean_emails(emails), clean_phones(phones), clean_addresses(addresses, typed=False))
    set_owner(lead, owner)
    with transaction.atomic():
        lead.save()
        extra = {key: value["new"] for key, value in _write_points(lead, *points).items()}
        audit.record_create(instance=lead, actor=actor, extra=extra)
        search_index_update(entity=ENTITY, ids=[lead.pk])
    return lead


def lead_update(
    *,
    lead: Lead,
    actor: Any,
    name: str | None = None,
    status: str | None = None,
    source: str | None = None,
    notes: str | None = None,
    customer_association: CustomerAssociation | None = KEEP,
    contact: Contact | None = KEEP,
    emails: Rows | None = None,
    phones: Rows | None = None,
    addresses: Rows | None = None,
    owner: User | None = None,
    **texts: str | None,
) -> Lead:
    points = (clean_emails(emails), clean_phones(phones), clean_addresses(addresses, typed=False))
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        org_id = lead.organization_id
        with audit.tracking(lead, actor=actor) as extra:
            if name is not None:
                lead.name = clean_text(name, field="name", required=True)
            if status is not None:
                lead.status = clean_choice(status, LeadStatus, "status", required=True)
            if source is not None:
                lead.source = clean_choice(source, LeadSource, "source")
            if notes is not None:
                lead.notes = notes
            for key, value in _texts(texts).items():
                setattr(lead, key, value)
            if customer_association is not KEEP:
                _check_association(org_id, customer_association)
                lead.customer_association = customer_association
            if contact is not KEEP:
                check_same_org(org_id, contact_id=contact)
                lead.contact = contact
            if owner is not None:
                check_same_org(org_id, owner_id=owner)
                set_owner(lead, owner)
            lead.save()
            extra.update(_write_points(lead, *points))
        search_index_update(entity=ENTITY, ids=[lead.pk])
    return lead


def lead_delete(*, lead: Lead, actor: Any) -> None:
    """Its opportunities stay (their `lead` becomes empty)."""
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        audit.record_delete(instance=lead, actor=actor)
        pk = lead.pk
        lead.delete()
        search_index_remove(entity=ENTITY, ids=[pk])


@dataclass
class ConversionMatches:
    """Existing records a conversion that creates new ones would duplicate."""

    accounts: list[Account] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    email: str = ""

    def warnings(self) -> list[str]:
        found = [f"An account named “{a.name}” already exists (id {a.pk})." for a in self.accounts]
        found += [
            f"A contact with the email {self.email} already exists: {c} (id {c.pk})." for c in self.contacts
        ]
        return found


def lead_primary_email(lead: Lead) -> str:
    return (
        LeadEmail.objects.filter(lead=lead)
        .order_by("-is_primary", "id")
        .values_list("email", flat=True)
        .first()
        or ""
    )


def lead_conversion_matches(*, lead: Lead, account_name: str | None = None) -> ConversionMatches:
    """Accounts of the same name (any case) and contacts with the lead's email, in its organization."""
    name = (account_name or lead.company_name or lead.name).strip().lower()
    accounts = list(Account.objects.filter(organization_id=lead.organization_id, name__iexact=name)[:10])
    email = lead_primary_email(lead).lower()
    contacts: list[Contact] = []
    if email:
        ids = (
            ContactEmail.objects.annotate(lemail=Lower("email"))
            .filter(lemail=email, contact__organization_id=lead.organization_id)
            .values("contact_id")
        )
        contacts = list(Contact.objects.filter(pk__in=ids)[:10])
    return ConversionMatches(accounts, contacts, email)


def _new_account(lead: Lead, name: str, owner: User, actor: Any) -> Account:
    from accord.crm.services import accounts as account_services

    return account_services.account_create(name=name, owner=owner, actor=actor)


def _new_contact(lead: Lead, account: Account, owner: User, actor: Any) -> Contact:
    from accord.crm.services import contacts as contact_services

    emails = [{"email": e.email, "primary": e.is_primary} for e in lead.emails.all()]
    phones = [{"phone": p.phone, "primary": p.is_primary} for p in lead.phones.all()]
    return contact_services.contact_create(
        name_prefix=lead.name_prefix,
        first_name=lead.first_name,
        middle_name=lead.middle_name,
        last_name=lead.last_name,
        name_suffix=lead.name_suffix,
        job_title=lead.job_title,
        emails=emails,
        phones=phones,
        accounts=[account],
        owner=owner,
        actor=actor,
    )


def lead_convert(
    *,
    lead: Lead,
    actor: Any,
    account: Account | None = None,
    account_name: str | None = None,
    contact: Contact | None = None,
    create_contact: bool = True,
    opportunity_name: str | None = None,
    budget: Money | None = None,
    allow_duplicates: bool = False,
) -> Opportunity:
    """Qualify the lead and open an opportunity for the chosen account (or a new one named after
    the company) and contact (or a new one from the lead). Creating a record that looks like an
    existing one (same account name, same contact email) needs `allow_duplicates` (else 409)."""
    if lead.status == LeadStatus.DISQUALIFIED:
        raise Conflict("A disqualified lead cannot be converted; requalify it first.")
    if Opportunity.objects.filter(lead=lead).exists() and lead.status == LeadStatus.QUALIFIED:
        raise Conflict("This lead was already converted.")
    check_same_org(lead.organization_id, account_id=account, contact_id=contact)
    name = clean_text(account_name or lead.company_name or lead.name, field="account_name", required=True)
    matches = lead_conversion_matches(lead=lead, account_name=name)
    if account is not None:
        matches.accounts = []
    if contact is not None or not create_contact:
        matches.contacts = []
    if matches.warnings() and not allow_duplicates:
        raise Conflict(" ".join(matches.warnings()) + " Choose the existing record or confirm the duplicate.")
    owner = lead.owner or actor
    with transaction.atomic():
        account = account or _new_account(lead, name, owner, actor)
        if contact is None and create_contact:
            contact = _new_contact(lead, account, owner, actor)
        opportunity = opportunity_create(
            name=opportunity_name or lead.name,
            customer_association=customer_association_for_account(account=account),
            contact=contact,
            lead=lead,
            budget=budget,
            owner=owner,
            actor=actor,
        )
        lead_update(
            lead=lead,
            status=LeadStatus.QUALIFIED,
            customer_association=opportunity.customer_association,
            contact=contact if contact is not None else KEEP,
            actor=actor,
        )
    return opportunity


def _bulk_lead(row: Mapping[str, Any], index: int, default_owner: User) -> tuple[Lead, Any]:
    """An unsaved lead and its cleaned (emails, phones) from one row of a bulk call."""
    from accord.crm.services.bulk_rows import row_errors, row_owner

    owner = row_owner(row, default_owner, index)
    with row_errors(f"rows.{index}"):
        lead = Lead(
            name=clean_text(row.get("name"), field="name", required=True),
            status=clean_choice(row.get("status") or LeadStatus.NEW, LeadStatus, "status", required=True),
            source=clean_choice(row.get("source"), LeadSource, "source"),
            notes=row.get("notes") or "",
            contact_id=row.get("contact_id"),
            **_texts(row),
        )
        points = (clean_emails(row.get("emails") or ()), clean_phones(row.get("phones") or ()))
    set_owner(lead, owner)
    return lead, points


def leads_bulk_create(*, rows: Rows, owner: User, actor: Any) -> list[Lead]:
    """Create leads with their emails and phones in a few statements per batch (imports, generated
    data). Rows: name, status?, source?, the person's texts, contact_id?, account_id? (the lead is
    attached to the account's own hub row, created when missing), emails?, phones?, owner?."""
    from accord.crm.services.bulk_rows import account_hub_rows, check_ids

    default_owner = owner_for(owner=owner, actor=actor)
    built = [_bulk_lead(row, n, default_owner) for n, row in enumerate(rows)]
    org_id = default_owner.organization_id
    accounts = {n: row.get("account_id") for n, row in enumerate(rows)}
    check_ids(Account, accounts, field="account_id", organization_id=org_id)
    check_ids(
        Contact,
        {n: lead.contact_id for n, (lead, _) in enumerate(built)},
        field="contact_id",
        organization_id=org_id,
    )
    leads = [lead for lead, _ in built]
    with transaction.atomic():
        hubs = account_hub_rows(pk for pk in accounts.values() if pk is not None)
        for n, lead in enumerate(leads):
            account_id = accounts[n]
            lead.customer_association_id = hubs[account_id] if account_id is not None else None
        instances_insert(leads)
        instances_insert([LeadEmail(lead=lead, **e) for lead, (emails, _) in built for e in emails])
        instances_insert([LeadPhone(lead=lead, **p) for lead, (_, phones) in built for p in phones])
        audit.record_bulk_create(instances=leads, actor=actor)
        search_index_update(entity=ENTITY, ids=[lead.pk for lead in leads])
    return leads
