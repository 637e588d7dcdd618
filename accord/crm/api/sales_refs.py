"""Input references of the sales resources: hub rows, channels, leads (else 422 on the field)."""

from __future__ import annotations

from typing import Any

from accord.crm.models import Account, BusinessCustomer, Channel, CustomerAssociation, Lead
from accord.crm.registries import customer_sources
from accord.crm.services.associations import customer_association_for_account
from accord.platform import acl
from accord.platform.errors import ValidationFailed


def association_ref(user: Any, data: dict[str, Any], *, required: bool) -> CustomerAssociation | None | Any:
    """`account_id` (the account itself), `customer_association_id` (any customer's hub row) or
    `customer_type` + `customer_id` (a customer record of any source); the account must be visible
    to the caller. Returns `...` when none was given on a PATCH."""
    account_id, association_id = data.get("account_id"), data.get("customer_association_id")
    customer_type, customer_id = data.get("customer_type"), data.get("customer_id")
    if customer_type is not None or customer_id is not None:
        if account_id is not None or association_id is not None:
            field = "customer_id" if customer_id is not None else "customer_type"
            raise ValidationFailed(
                {field: "Give the customer, the account_id or the customer_association_id, not several."}
            )
        return customer_ref(user, customer_type, customer_id)
    if account_id is not None and association_id is not None:
        raise ValidationFailed({"account_id": "Give account_id or customer_association_id, not both."})
    if account_id is not None:
        account = acl.visible(user, "crm.account", Account.objects.filter(pk=account_id)).first()
        if account is None:
            raise ValidationFailed({"account_id": f"Account {account_id} does not exist."})
        return customer_association_for_account(account=account)
    if association_id is not None:
        visible_accounts = acl.visible(user, "crm.account").values("id")
        row = CustomerAssociation.objects.filter(pk=association_id, account_id__in=visible_accounts).first()
        if row is None:
            raise ValidationFailed(
                {"customer_association_id": f"Customer link {association_id} does not exist."}
            )
        return row
    if required:
        raise ValidationFailed({"account_id": "Give the account_id or the customer_association_id."})
    return ...


def customer_ref(user: Any, customer_type: str | None, customer_id: int | None) -> CustomerAssociation:
    """The hub row of a customer record of a registered source: the record must be visible to the
    caller (the source's ACL) and linked to an account the caller may see."""
    if not customer_type:
        raise ValidationFailed({"customer_type": "Give the customer_type with the customer_id."})
    if customer_type not in customer_sources:
        known = ", ".join(sorted(customer_sources.keys()))
        raise ValidationFailed(
            {"customer_type": f"Unknown customer type {customer_type!r}; use one of {known}."}
        )
    if customer_id is None:
        raise ValidationFailed({"customer_id": "Give the customer_id with the customer_type."})
    source = customer_sources.get(customer_type)
    label = source.label.lower()
    if customer_id not in source.fetch([customer_id], user):
        raise ValidationFailed({"customer_id": f"The {label} {customer_id} does not exist."})
    visible_accounts = acl.visible(user, "crm.account").values("id")
    row = CustomerAssociation.objects.filter(
        source_type=customer_type, source_id=customer_id, account_id__in=visible_accounts
    ).first()
    if row is None:
        raise ValidationFailed(
            {"customer_id": f"The {label} {customer_id} belongs to no account you may see."}
        )
    return row


def channel_ref(user: Any, pk: int | None) -> Channel | None:
    if pk is None:
        return None
    found = acl.visible(user, "crm.channel", Channel.objects.filter(pk=pk)).first()
    if found is None:
        raise ValidationFailed({"channel_id": f"Channel {pk} does not exist."})
    return found


def lead_ref(user: Any, pk: int | None) -> Lead | None:
    if pk is None:
        return None
    found = acl.visible(user, "crm.lead", Lead.objects.filter(pk=pk)).first()
    if found is None:
        raise ValidationFailed({"lead_id": f"Lead {pk} does not exist."})
    return found


def hub_row_ids(ids: list[int]) -> dict[int, int]:
    """{business customer id: the id of its hub row}, in one query."""
    return dict(
        CustomerAssociation.objects.filter(
            source_type="crm.business_customer", source_id__in=ids
        ).values_list("source_id", "id")
    )


def hub_ids(customers: list[BusinessCustomer]) -> None:
    """Attach each business customer's hub row id (one query) for the API output."""
    rows = hub_row_ids([c.pk for c in customers])
    for customer in customers:
        customer.hub_id = rows.get(customer.pk)  # type: ignore[attr-defined]
