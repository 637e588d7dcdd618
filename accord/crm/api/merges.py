"""POST /api/v1/accounts/merge (with "dry_run" for the preview), /api/v1/merges and their undo."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accord.crm.models import Account, Contact, Merge
from accord.crm.services.contact_merges import contacts_merge
from accord.crm.services.merges import accounts_merge, merge_undo
from accord.platform import acl
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate
from accord.platform.errors import NotFound

account_merge = Router(tags=["merges"])
contact_merge = Router(tags=["merges"])
merges = Router(tags=["merges"])
ENTITY = "crm.merge"


class MergeIn(Schema):
    master_id: int
    account_ids: list[int] = Field(..., description="The accounts merged into the master (it may be listed).")
    field_choices: dict[str, int] = Field(
        {}, description='Per field, the account whose value wins, e.g. {"name": 12}; default: the master.'
    )
    collections: dict[str, Literal["append", "replace"]] = Field(
        {}, description='{"contacts": "append"} (default) or "replace" (with field_choices["contacts"]).'
    )
    dry_run: bool = Field(False, description="Only say what would change.")


class ContactMergeIn(Schema):
    master_id: int
    contact_ids: list[int] = Field(..., description="The contacts merged into the master (it may be listed).")
    field_choices: dict[str, int] = Field({}, description="Per field, the contact whose value wins.")
    collections: dict[str, Literal["append", "replace"]] = Field(
        {}, description="emails, phones, addresses, groups, accounts: append (default) or replace."
    )
    dry_run: bool = False


class MergePreviewOut(Schema):
    dry_run: bool
    summary: dict[str, Any]


class MergeOut(Schema):
    id: int
    entity: str
    master_id: int
    master_name: str
    merged_ids: list[int]
    merged_names: list[str]
    status: str
    summary: dict[str, Any]
    actor_id: int | None
    created_at: dt.datetime
    undone_at: dt.datetime | None
    undone_by_id: int | None


@account_merge.post(
    "/merge", response={200: MergePreviewOut, 201: MergeOut, **ERRORS}, operation_id="accounts_merge"
)
def accounts_merge_endpoint(request: HttpRequest, payload: MergeIn) -> Any:
    """Merge any number of accounts into the master: needs edit on the master, delete on the others."""
    user = request.auth
    master = acl.get_for_action(user, "crm.account", "edit", payload.master_id)
    others = [
        acl.get_for_action(user, "crm.account", "delete", pk)
        for pk in dict.fromkeys(payload.account_ids)
        if pk != master.pk
    ]
    result = accounts_merge(
        master=master,
        others=others,
        field_choices=payload.field_choices,
        collections=payload.collections,
        dry_run=payload.dry_run,
        actor=user,
    )
    if result.merge is None:
        return {"dry_run": True, "summary": result.summary}
    return Status(201, result.merge)


@contact_merge.post(
    "/merge", response={200: MergePreviewOut, 201: MergeOut, **ERRORS}, operation_id="contacts_merge"
)
def contacts_merge_endpoint(request: HttpRequest, payload: ContactMergeIn) -> Any:
    """Merge contacts into the master: needs edit on the master, delete on the others."""
    user = request.auth
    master = acl.get_for_action(user, "crm.contact", "edit", payload.master_id)
    others = [
        acl.get_for_action(user, "crm.contact", "delete", pk)
        for pk in dict.fromkeys(payload.contact_ids)
        if pk != master.pk
    ]
    result = contacts_merge(
        master=master,
        others=others,
        field_choices=payload.field_choices,
        collections=payload.collections,
        dry_run=payload.dry_run,
        actor=user,
    )
    if result.merge is None:
        return {"dry_run": True, "summary": result.summary}
    return Status(201, result.merge)


@merges.get("", response={200: page_of(MergeOut), **ERRORS}, operation_id="merges_list")
def merges_list(
    request: HttpRequest, params: Query[ListParams], status: str | None = None, entity: str | None = None
) -> Any:
    """Merges of accounts (`entity=crm.account`) and contacts (`crm.contact`), newest first."""
    qs = acl.visible(request.auth, ENTITY, Merge.objects.defer("state"))
    if entity:
        qs = qs.filter(entity=entity)
    if status:
        qs = qs.filter(status=status)
    return paginate(qs, params, sorts=("id", "created_at"), default_sort="-created_at")


@merges.get("/{int:pk}", response={200: MergeOut, **ERRORS}, operation_id="merges_get")
def merges_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk)


@merges.post("/{int:pk}/undo", response={200: MergeOut, **ERRORS}, operation_id="merges_undo")
def merges_undo(request: HttpRequest, pk: int) -> Any:
    """Restore the merged accounts; 409 naming what changed since the merge."""
    user = request.auth
    merge = acl.get_visible_or_404(user, ENTITY, pk)
    require_undo(user, merge)
    return merge_undo(merge=merge, actor=user)


def require_undo(user: Any, merge: Merge) -> None:
    """Undo needs edit on the master record and create on its entity."""
    model: Any = Contact if merge.entity == "crm.contact" else Account
    master = model.objects.filter(pk=merge.master_id).first()
    if master is None:
        raise NotFound(f"The master record {merge.master_id} no longer exists.")
    acl.require(user, merge.entity, "edit", master)
    acl.require(user, merge.entity, "create")
