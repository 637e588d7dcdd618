"""Business customers: the customers of b2b channels. Each has a hub row (source
"crm.business_customer") whose account it mirrors, written in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from accord.crm.models import (
    Account,
    BusinessCustomer,
    BusinessCustomerAddress,
    BusinessCustomerEmail,
    BusinessCustomerPhone,
    Channel,
    Contact,
    CustomerAssociation,
    Lead,
    Opportunity,
)
from accord.crm.models.business_customers import SOURCE_TYPE
from accord.crm.services import lifetime
from accord.crm.services.associations import (
    customer_association_for_account,
    customer_association_link,
    customer_association_unlink,
)
from accord.crm.services.sales_common import (
    KEEP,
    check_same_org,
    clean_addresses,
    clean_emails,
    clean_phones,
    clean_text,
    owner_for,
    replace_children,
    set_owner,
)
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.rows import instances_insert
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.business_customer"
B2B = "b2b"
Rows = Sequence[Mapping[str, Any]]


def _check_channel(channel: Channel | None, organization_id: int | None) -> Channel:
    if channel is None:
        raise ValidationFailed({"channel_id": "Choose a channel of type b2b."})
    if channel.channel_type != B2B:
        raise ValidationFailed({"channel_id": "Business customers belong to a channel of type b2b."})
    if channel.organization_id != organization_id:
        raise ValidationFailed({"channel_id": "It belongs to another organization."})
    return channel


def _write_points(customer: BusinessCustomer, emails: Any, phones: Any, addresses: Any) -> dict[str, Any]:
    changed: dict[str, Any] = {}
    for model, rows, name in (
        (BusinessCustomerEmail, emails, "emails"),
        (BusinessCustomerPhone, phones, "phones"),
        (BusinessCustomerAddress, addresses, "addresses"),
    ):
        if rows is not None and replace_children(model, "business_customer", customer, rows):
            changed[name] = {"old": None, "new": len(rows)}
    return changed


def business_customer_create(
    *,
    name: str,
    account: Account,
    channel: Channel,
    actor: Any,
    contact: Contact | None = None,
    emails: Rows = (),
    phones: Rows = (),
    addresses: Rows = (),
    owner: User | None = None,
) -> BusinessCustomer:
    name = clean_text(name, field="name", required=True)
    owner = owner_for(owner=owner, actor=actor)
    if account is None:
        raise ValidationFailed({"account_id": "Choose the account of the business customer."})
    check_same_org(owner.organization_id, account_id=account, contact_id=contact)
    _check_channel(channel, owner.organization_id)
    points = (clean_emails(emails), clean_phones(phones), clean_addresses(addresses, typed=True))
    with transaction.atomic():
        customer = BusinessCustomer(name=name, account=account, channel=channel, contact=contact)
        set_owner(customer, owner)
        customer.save()
        customer_association_link(
            source_type=SOURCE_TYPE, source_id=customer.pk, account=account, channel=channel, actor=actor
        )
        extra = {key: value["new"] for key, value in _write_points(customer, *points).items()}
        audit.record_create(instance=customer, actor=actor, extra=extra)
        search_index_update(entity=ENTITY, ids=[customer.pk])
    return customer


def business_customer_update(
    *,
    business_customer: BusinessCustomer,
    actor: Any,
    name: str | None = None,
    account: Account | None = KEEP,
    channel: Channel | None = KEEP,
    contact: Contact | None = KEEP,
    emails: Rows | None = None,
    phones: Rows | None = None,
    addresses: Rows | None = None,
    owner: User | None = None,
) -> BusinessCustomer:
    """A new account or channel moves the hub row with it; both pairs' lifetime values follow."""
    points = (clean_emails(emails), clean_phones(phones), clean_addresses(addresses, typed=True))
    with transaction.atomic():
        customer = BusinessCustomer.objects.select_for_update().get(pk=business_customer.pk)
        org_id = customer.organization_id
        old_pair = (customer.account_id, customer.channel_id)
        with audit.tracking(customer, actor=actor) as extra:
            if name is not None:
                customer.name = clean_text(name, field="name", required=True)
            if account is not KEEP:
                if account is None:
                    raise ValidationFailed({"account_id": "Choose the account of the business customer."})
                check_same_org(org_id, account_id=account)
                customer.account = account
            if channel is not KEEP:
                customer.channel = _check_channel(channel, org_id)
            if contact is not KEEP:
                check_same_org(org_id, contact_id=contact)
                customer.contact = contact
            if owner is not None:
                check_same_org(org_id, owner_id=owner)
                set_owner(customer, owner)
            customer.save()
            extra.update(_write_points(customer, *points))
        if (customer.account_id, customer.channel_id) != old_pair:
            # The hub row moves; `hub_changed` (the hub's event) refreshes both pairs' lifetime values.
            customer_association_link(
                source_type=SOURCE_TYPE,
                source_id=customer.pk,
                account=customer.account,
                channel=customer.channel,
                actor=actor,
            )
        search_index_update(entity=ENTITY, ids=[customer.pk])
    return customer


def business_customer_delete(*, business_customer: BusinessCustomer, actor: Any) -> None:
    """Its opportunities and leads stay, attached directly to the account (as the reference's
    SET NULL on the hub target does); its lifetime leaves the channel and won deals count directly."""
    with transaction.atomic():
        customer = BusinessCustomer.objects.select_for_update().get(pk=business_customer.pk)
        hub = CustomerAssociation.objects.filter(source_type=SOURCE_TYPE, source_id=customer.pk).first()
        if hub is not None:  # what hangs off the hub row moves to the account's own row
            own = customer_association_for_account(account=customer.account)
            Opportunity.objects.filter(customer_association=hub).update(customer_association=own)
            Lead.objects.filter(customer_association=hub).update(customer_association=own)
        customer_association_unlink(source_type=SOURCE_TYPE, source_id=customer.pk, actor=actor)
        pair = (customer.account_id, customer.channel_id)
        audit.record_delete(instance=customer, actor=actor)
        pk = customer.pk
        customer.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
        lifetime.pairs_refresh([pair, (pair[0], None)])


def business_customer_hub(customer: BusinessCustomer) -> CustomerAssociation:
    """The hub row of a business customer (created if a repair is needed)."""
    row, _ = CustomerAssociation.objects.get_or_create(
        source_type=SOURCE_TYPE,
        source_id=customer.pk,
        defaults={"account_id": customer.account_id, "channel_id": customer.channel_id},
    )
    return row


def hub_changed(*, source_type: str, source_id: int, **event: Any) -> None:
    """Listener of `customer_association_changed`: a business customer follows its hub row (whoever
    moved it: this service, an account merge...) and the lifetime values of the pairs follow."""
    if source_type != SOURCE_TYPE:
        return
    new_account_id, new_channel_id = event.get("new_account_id"), event.get("new_channel_id")
    if new_account_id is not None:
        BusinessCustomer.objects.filter(pk=source_id).exclude(account_id=new_account_id).update(
            account_id=new_account_id
        )
    old_account_id, old_channel_id = event.get("old_account_id"), event.get("old_channel_id")
    pairs: list[lifetime.Pair] = []
    if old_account_id is not None:
        pairs.append((old_account_id, old_channel_id))
        if new_account_id is None:  # unlinked: its opportunities now hang off the account itself
            pairs.append((old_account_id, None))
    if new_account_id is not None:
        pairs.append((new_account_id, new_channel_id))
    lifetime.pairs_refresh(pairs)


def _bulk_customer(row: Mapping[str, Any], index: int, default_owner: User) -> tuple[BusinessCustomer, Any]:
    """An unsaved business customer and its cleaned (emails, phones) from one row of a bulk call."""
    from accord.crm.services.bulk_rows import row_errors, row_owner

    owner = row_owner(row, default_owner, index)
    with row_errors(f"rows.{index}"):
        name = clean_text(row.get("name"), field="name", required=True)
        channel = _check_channel(row.get("channel"), owner.organization_id)
        points = (clean_emails(row.get("emails") or ()), clean_phones(row.get("phones") or ()))
        if row.get("account_id") is None:
            raise ValidationFailed({"account_id": "Choose the account of the business customer."})
    customer = BusinessCustomer(
        name=name, account_id=row["account_id"], channel=channel, contact_id=row.get("contact_id")
    )
    set_owner(customer, owner)
    return customer, points


def business_customers_bulk_create(*, rows: Rows, owner: User, actor: Any) -> list[BusinessCustomer]:
    """Create business customers with their hub rows, emails and phones in a few statements per
    batch (imports, generated data). Rows: name, account_id, channel, contact_id?, emails?, phones?,
    owner?. A new customer has no won deal, so no lifetime value changes and no hub event is sent."""
    from accord.crm.services.bulk_rows import check_ids

    default_owner = owner_for(owner=owner, actor=actor)
    built = [_bulk_customer(row, n, default_owner) for n, row in enumerate(rows)]
    org_id = default_owner.organization_id
    check_ids(
        Account,
        {n: c.account_id for n, (c, _) in enumerate(built)},
        field="account_id",
        organization_id=org_id,
    )
    check_ids(
        Contact,
        {n: c.contact_id for n, (c, _) in enumerate(built)},
        field="contact_id",
        organization_id=org_id,
    )
    customers = [customer for customer, _ in built]
    with transaction.atomic():
        instances_insert(customers)
        instances_insert(
            [
                CustomerAssociation(
                    account_id=c.account_id, source_type=SOURCE_TYPE, source_id=c.pk, channel_id=c.channel_id
                )
                for c in customers
            ]
        )
        instances_insert(
            [BusinessCustomerEmail(business_customer=c, **e) for c, (emails, _) in built for e in emails]
        )
        instances_insert(
            [BusinessCustomerPhone(business_customer=c, **p) for c, (_, phones) in built for p in phones]
        )
        audit.record_bulk_create(instances=customers, actor=actor)
        search_index_update(entity=ENTITY, ids=[c.pk for c in customers])
    return customers
