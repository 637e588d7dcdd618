"""Console pages for contact groups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accord.crm.console.common import checked_owner
from accord.crm.console.core_forms import ContactGroupForm
from accord.crm.models import ContactGroup
from accord.crm.services import contact_groups as services
from accord.platform.console.crud import ConsoleResource, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "crm.contact_group"


class ContactGroupGrid(Grid):
    entity = ENTITY
    export_name = "contact-groups"
    default_sort = "label"
    search_fields = ("label",)
    columns = (
        Column("label", "Label", sort="label", link=True),
        Column("contact_count", "Contacts", kind="number", sort="contact_count"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (Filter("label", "Label"),)

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return ContactGroup.objects.select_related("owner").annotate(contact_count=Count("contacts"))


class ContactGroupResource(ConsoleResource):
    entity = ENTITY
    name = "contact_groups"
    grid = ContactGroupGrid
    form = ContactGroupForm

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: ContactGroup) -> dict[str, Any]:
        return {"label": obj.label, "owner": obj.owner_id}

    def sections(self, request: HttpRequest, obj: ContactGroup) -> list[Section]:
        return [
            Section(
                "General", [("Label", obj.label), ("Contacts", obj.contacts.count()), ("Owner", obj.owner)]
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> ContactGroup:
        owner = checked_owner(request, ENTITY, None, data.get("owner"))
        return services.contact_group_create(label=data["label"], owner=owner, actor=request.user)

    def update(self, request: HttpRequest, obj: ContactGroup, data: dict[str, Any]) -> ContactGroup:
        owner = checked_owner(request, ENTITY, obj, data.get("owner"))
        return services.contact_group_update(group=obj, label=data["label"], owner=owner, actor=request.user)

    def delete(self, request: HttpRequest, obj: ContactGroup) -> None:
        services.contact_group_delete(group=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: ContactGroup) -> list[str]:
        return [f"Its {obj.contacts.count()} contact(s) are kept; only their membership is removed."]
