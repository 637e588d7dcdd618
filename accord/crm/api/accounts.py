"""/api/v1/accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import account_ref, contact_ref, contacts_ref, owner_ref
from accord.crm.api.core_schemas import AccountDetailOut, AccountIn, AccountOut, AccountPatchIn
from accord.crm.models import Account, Contact
from accord.crm.selectors.accounts import account_contacts, account_customer_links
from accord.crm.services import accounts as services
from accord.crm.services._common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate

accounts = Router(tags=["accounts"])
ENTITY = "crm.account"


def _qs(user: Any) -> QuerySet[Account]:
    visible_contacts = acl.visible(user, "crm.contact", Contact.objects.only("pk"))
    return Account.objects.prefetch_related(Prefetch("contacts", queryset=visible_contacts))


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
    qs = acl.visible(request.auth, ENTITY, _qs(request.auth))
    if name:
        qs = qs.filter(name__icontains=name)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if contact_id is not None:
        qs = qs.filter(contacts__id=contact_id)
    if external_id:
        qs = qs.filter(external_id=external_id)
    return paginate(qs, params, sorts=("id", "name", "created_at", "updated_at"), default_sort="name")


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
