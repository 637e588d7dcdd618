"""/api/v1/contacts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.contact_rows import COLUMNS, contact_rows
from accord.crm.api.core_refs import accounts_ref, contact_ref, groups_ref, owner_ref, user_ref
from accord.crm.api.core_schemas import ContactIn, ContactOut, ContactPatchIn
from accord.crm.models import Contact
from accord.crm.services import contacts as services
from accord.crm.services._common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows

contacts = Router(tags=["contacts"])
ENTITY = "crm.contact"
SCALARS = (*services.TEXT_FIELDS, *services.CHOICES, "description")


def _qs() -> QuerySet[Contact]:
    return Contact.objects.prefetch_related("emails", "phones", "addresses", "groups", "accounts")


def _refs(user: Any, data: dict[str, Any], record: Contact | None) -> dict[str, Any]:
    refs: dict[str, Any] = {}
    if "assigned_to_id" in data:
        refs["assigned_to"] = user_ref(user, data["assigned_to_id"], "assigned_to_id")
    if "reports_to_id" in data:
        refs["reports_to"] = contact_ref(user, data["reports_to_id"], "reports_to_id")
    if "birthday" in data:
        refs["birthday"] = data["birthday"]
    if data.get("group_ids") is not None:
        refs["groups"] = groups_ref(user, data["group_ids"])
    if data.get("account_ids") is not None:
        refs["accounts"] = accounts_ref(user, data["account_ids"])
    for name in ("emails", "phones", "addresses"):
        if data.get(name) is not None:
            refs[name] = data[name]
    refs["owner"] = owner_ref(user, ENTITY, data.get("owner_id"), record)
    refs.update({name: data[name] or "" for name in SCALARS if name in data})
    return refs


@contacts.get("", response={200: page_of(ContactOut), **ERRORS}, operation_id="contacts_list")
def contacts_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    account_id: int | None = None,
    group_id: int | None = None,
    owner_id: int | None = None,
    source: str | None = None,
) -> Any:
    """Contacts; `name` matches a part of the first or last name, `email`/`phone` any of theirs."""
    qs = acl.visible(request.auth, ENTITY, Contact.objects.all())
    if name:
        qs = qs.filter(Q(first_name__icontains=name) | Q(last_name__icontains=name))
    if email:
        qs = qs.filter(pk__in=Contact.objects.filter(emails__email__iexact=email).values("pk"))
    if phone:
        qs = qs.filter(pk__in=Contact.objects.filter(phones__phone__icontains=phone).values("pk"))
    for field, value in (("accounts", account_id), ("groups", group_id)):
        if value is not None:
            qs = qs.filter(pk__in=Contact.objects.filter(**{f"{field}__id": value}).values("pk"))
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if source:
        qs = qs.filter(source=source)
    sorts = ("id", "first_name", "last_name", "primary_email", "created_at", "updated_at")
    return page_rows(qs, params, ContactOut, COLUMNS, contact_rows, sorts=sorts, default_sort="last_name")


@contacts.get("/{int:pk}", response={200: ContactOut, **ERRORS}, operation_id="contacts_get")
def contacts_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())


@contacts.post("", response={201: ContactOut, **ERRORS}, operation_id="contacts_create")
def contacts_create(request: HttpRequest, payload: ContactIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    data = payload.dict(exclude_unset=True)
    contact = services.contact_create(actor=user, **_refs(user, data, None))
    return Status(201, _qs().get(pk=contact.pk))


@contacts.patch("/{int:pk}", response={200: ContactOut, **ERRORS}, operation_id="contacts_update")
def contacts_update(request: HttpRequest, pk: int, payload: ContactPatchIn) -> Any:
    user = request.auth
    contact = acl.get_for_action(user, ENTITY, "edit", pk)
    refs = _refs(user, payload.dict(exclude_unset=True), contact)
    for name in ("assigned_to", "reports_to", "birthday"):
        refs.setdefault(name, KEEP)
    services.contact_update(contact=contact, actor=user, **refs)
    return _qs().get(pk=pk)


@contacts.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="contacts_delete")
def contacts_delete(request: HttpRequest, pk: int) -> Any:
    contact = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.contact_delete(contact=contact, actor=request.auth)
    return Status(204, None)


add_history_route(contacts, entity=ENTITY, resource="contacts")
