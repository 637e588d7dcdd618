"""/api/v1/channels (system channel types are refused: their module creates them)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_schemas import ChannelIn, ChannelOut, ChannelPatchIn
from accord.crm.models import Channel
from accord.crm.services import channels as services
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate

channels = Router(tags=["channels"])
ENTITY = "crm.channel"


@channels.get("", response={200: page_of(ChannelOut), **ERRORS}, operation_id="channels_list")
def channels_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    channel_type: str | None = None,
    status: str | None = None,
) -> Any:
    qs = acl.visible(request.auth, ENTITY, Channel.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    if channel_type:
        qs = qs.filter(channel_type=channel_type)
    if status:
        qs = qs.filter(status=status)
    sorts = ("id", "name", "channel_type", "status", "created_at")
    return paginate(qs, params, sorts=sorts, default_sort="name")


@channels.get("/{int:pk}", response={200: ChannelOut, **ERRORS}, operation_id="channels_get")
def channels_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk)


@channels.post("", response={201: ChannelOut, **ERRORS}, operation_id="channels_create")
def channels_create(request: HttpRequest, payload: ChannelIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    channel = services.channel_create(
        organization=user.organization,
        name=payload.name,
        channel_type=payload.channel_type,
        status=payload.status,
        customer_identity=payload.customer_identity,
        entities=payload.entities,
        actor=user,
    )
    return Status(201, channel)


@channels.patch("/{int:pk}", response={200: ChannelOut, **ERRORS}, operation_id="channels_update")
def channels_update(request: HttpRequest, pk: int, payload: ChannelPatchIn) -> Any:
    channel = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    return services.channel_update(
        channel=channel,
        name=data.get("name"),
        status=data.get("status"),
        customer_identity=data.get("customer_identity"),
        entities=data.get("entities"),
        actor=request.auth,
    )


@channels.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="channels_delete")
def channels_delete(request: HttpRequest, pk: int) -> Any:
    channel = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.channel_delete(channel=channel, actor=request.auth)
    return Status(204, None)


add_history_route(channels, entity=ENTITY, resource="channels")
