"""/api/v1/contact-groups."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import owner_ref
from accord.crm.api.core_schemas import ContactGroupIn, ContactGroupOut, ContactGroupPatchIn
from accord.crm.models import ContactGroup
from accord.crm.services import contact_groups as services
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate

contact_groups = Router(tags=["contact groups"])
ENTITY = "crm.contact_group"


@contact_groups.get(
    "", response={200: page_of(ContactGroupOut), **ERRORS}, operation_id="contact_groups_list"
)
def groups_list(request: HttpRequest, params: Query[ListParams], label: str | None = None) -> Any:
    qs = acl.visible(request.auth, ENTITY, ContactGroup.objects.all())
    if label:
        qs = qs.filter(label__icontains=label)
    return paginate(qs, params, sorts=("id", "label", "created_at"), default_sort="label")


@contact_groups.get("/{int:pk}", response={200: ContactGroupOut, **ERRORS}, operation_id="contact_groups_get")
def groups_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk)


@contact_groups.post("", response={201: ContactGroupOut, **ERRORS}, operation_id="contact_groups_create")
def groups_create(request: HttpRequest, payload: ContactGroupIn) -> Any:
    acl.require(request.auth, ENTITY, "create")
    group = services.contact_group_create(
        label=payload.label, owner=owner_ref(request.auth, ENTITY, payload.owner_id), actor=request.auth
    )
    return Status(201, group)


@contact_groups.patch(
    "/{int:pk}", response={200: ContactGroupOut, **ERRORS}, operation_id="contact_groups_update"
)
def groups_update(request: HttpRequest, pk: int, payload: ContactGroupPatchIn) -> Any:
    group = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    return services.contact_group_update(
        group=group,
        label=data.get("label"),
        owner=owner_ref(request.auth, ENTITY, data.get("owner_id"), group),
        actor=request.auth,
    )


@contact_groups.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="contact_groups_delete")
def groups_delete(request: HttpRequest, pk: int) -> Any:
    group = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.contact_group_delete(group=group, actor=request.auth)
    return Status(204, None)


add_history_route(contact_groups, entity=ENTITY, resource="contact-groups")
