"""Console pages for channels (system types are not offered on creation)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.crm.console.core_forms import ChannelForm
from accord.crm.models import Channel, ChannelStatus
from accord.crm.registries import channel_types
from accord.crm.services import channels as services
from accord.platform.console.crud import ConsoleResource, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "crm.channel"


def _type_choices(request: HttpRequest) -> list[tuple[str, str]]:
    return [(t.key, t.label) for t in channel_types]


class ChannelGrid(Grid):
    entity = ENTITY
    export_name = "channels"
    default_sort = "name"
    search_fields = ("name",)
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column("channel_type", "Type", sort="channel_type"),
        Column("status", "Status", value="get_status_display", sort="status"),
        Column("customer_identity", "Customer identity"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("channel_type", "Type", kind="choice", choices=_type_choices),
        Filter("status", "Status", kind="choice", choices=tuple(ChannelStatus.choices)),
    )


class ChannelResource(ConsoleResource):
    entity = ENTITY
    name = "channels"
    grid = ChannelGrid
    form = ChannelForm

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"editing": obj is not None}

    def initial(self, request: HttpRequest, obj: Channel) -> dict[str, Any]:
        return {
            "name": obj.name,
            "channel_type": obj.channel_type,
            "status": obj.status,
            "customer_identity": obj.customer_identity,
            "entities": "\n".join(obj.entities or []),
        }

    def sections(self, request: HttpRequest, obj: Channel) -> list[Section]:
        label = (
            channel_types.get(obj.channel_type).label
            if obj.channel_type in channel_types
            else obj.channel_type
        )
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Type", label),
                    ("Status", obj.get_status_display()),
                    ("Customer identity", obj.customer_identity),
                    ("Entities", ", ".join(obj.entities or [])),
                ],
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Channel:
        return services.channel_create(
            organization=request.user.organization,
            name=data["name"],
            channel_type=data["channel_type"],
            status=data["status"],
            customer_identity=data["customer_identity"] or None,
            entities=data["entities"],
            actor=request.user,
        )

    def update(self, request: HttpRequest, obj: Channel, data: dict[str, Any]) -> Channel:
        return services.channel_update(
            channel=obj,
            name=data["name"],
            status=data["status"],
            customer_identity=data["customer_identity"] or None,
            entities=data["entities"],
            actor=request.user,
        )

    def delete(self, request: HttpRequest, obj: Channel) -> None:
        services.channel_delete(channel=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Channel) -> list[str]:
        links = obj.associations.count()
        return [
            f"{links} customer link(s) of accounts keep their account but lose their channel.",
            "Data other modules keep for this channel (lifetime value history) is deleted with it.",
        ]
