"""/api/v1/accounts."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import account_ref, contact_ref, contacts_ref, owner_ref
from accord.crm.api.core_schemas import AccountDetailOut, AccountIn, AccountOut, AccountPatchIn
from accord.crm.models import Account
from accord.crm.selectors.accounts import account_contacts, account_customer_links
from accord.crm.services import accounts as services
from accord.crm.services._common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows
from accord.platform.statements import Statement

accounts = Router(tags=["accounts"])
ENTITY = "crm.account"
CONTACT = "crm.contact"


# The list's columns: every field of AccountOut but the contacts, which come from one query a page.
LIST_FIELDS = tuple(name for name in AccountOut.model_fields if name != "contact_ids")


CONTACT_LINKS = Statement(
    Account.contacts.through,
    lambda ids: Account.contacts.through.objects.filter(account_id__in=ids).values_list(
        "account_id", "contact_id", *acl.ownership_columns(CONTACT, "contact__")
    ),
)


def _visible_contact_ids(user: Any, account_ids: list[int]) -> dict[int, list[int]]:
    """{account id: sorted ids of its contacts the user may view} for a page, in one query."""
    found: dict[int, list[int]] = {}
    may_view = acl.row_checker(user, CONTACT, "view")
    for account_id, contact_id, *owned in CONTACT_LINKS.rows(ids=account_ids):
        if may_view(*owned):
            found.setdefault(account_id, []).append(contact_id)
    return {account_id: sorted(ids) for account_id, ids in found.items()}


def _detail(user: Any, account: Account) -> Account:
    account.visible_contacts = account_contacts(user, account)  # type: ignore[attr-defined]
    account.customer_links = account_customer_links(user, account)  # type: ignore[attr-defined]
    return account


@accounts.get("", response={200: page_of(AccountOut), **ERRORS}, operation_id="accounts_list")
def accounts_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    owner_id: int | None = None,
    contact_id: int | None = None,
    external_id: str | None = None,
) -> Any:
    """Accounts; `name` matches a part of the name, `contact_id` the accounts of a contact."""
    qs = acl.visible(request.auth, ENTITY, Account.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if contact_id is not None:
        qs = qs.filter(contacts__id=contact_id)
    if external_id:
        qs = qs.filter(external_id=external_id)
    sorts = ("id", "name", "created_at", "updated_at")

    def with_contacts(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        contacts = _visible_contact_ids(request.auth, [row["id"] for row in rows])
        for row in rows:
            row["contact_ids"] = contacts.get(row["id"], [])
        return rows

    return page_rows(qs, params, AccountOut, LIST_FIELDS, with_contacts, sorts=sorts, default_sort="name")


@accounts.get("/{int:pk}", response={200: AccountDetailOut, **ERRORS}, operation_id="accounts_get")
def accounts_get(request: HttpRequest, pk: int) -> Any:
    """The account with its contacts (those the caller may view) and its customer records by channel."""
    return _detail(request.auth, acl.get_visible_or_404(request.auth, ENTITY, pk))


@accounts.post("", response={201: AccountDetailOut, **ERRORS}, operation_id="accounts_create")
def accounts_create(request: HttpRequest, payload: AccountIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    account = services.account_create(
        name=payload.name,
        owner=owner_ref(user, ENTITY, payload.owner_id),
        default_contact=contact_ref(user, payload.default_contact_id, "default_contact_id"),
        referred_by=account_ref(user, payload.referred_by_id, "referred_by_id"),
        description=payload.description,
        external_id=payload.external_id,
        contacts=contacts_ref(user, payload.contact_ids),
        actor=user,
    )
    return Status(201, _detail(user, account))


@accounts.patch("/{int:pk}", response={200: AccountDetailOut, **ERRORS}, operation_id="accounts_update")
def accounts_update(request: HttpRequest, pk: int, payload: AccountPatchIn) -> Any:
    user = request.auth
    account = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    contacts = None
    if data.get("contact_ids") is not None:
        # Contacts the caller cannot see stay linked: a PATCH only changes what the caller sees.
        hidden = account.contacts.exclude(pk__in=acl.visible(user, "crm.contact").values("pk"))
        contacts = [*contacts_ref(user, data["contact_ids"]), *hidden]
    account = services.account_update(
        account=account,
        actor=user,
        name=data.get("name"),
        owner=owner_ref(user, ENTITY, data.get("owner_id"), account),
        default_contact=(
            contact_ref(user, data["default_contact_id"], "default_contact_id")
            if "default_contact_id" in data
            else KEEP
        ),
        referred_by=(
            account_ref(user, data["referred_by_id"], "referred_by_id") if "referred_by_id" in data else KEEP
        ),
        description=data.get("description"),
        external_id=data.get("external_id", KEEP),
        contacts=contacts,
    )
    return _detail(user, account)


@accounts.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="accounts_delete")
def accounts_delete(request: HttpRequest, pk: int) -> Any:
    account = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.account_delete(account=account, actor=request.auth)
    return Status(204, None)


add_history_route(accounts, entity=ENTITY, resource="accounts")
