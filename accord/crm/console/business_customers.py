"""Console pages for business customers: grid, view (contact points, opportunities), form, delete."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from accord.crm.console.common import checked_owner
from accord.crm.console.sales_common import form_fields
from accord.crm.console.sales_forms import BusinessCustomerForm, lines
from accord.crm.models import BusinessCustomer, Opportunity
from accord.crm.models.business_customers import SOURCE_TYPE
from accord.crm.services import business_customers as services
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.money import base_currency

ENTITY = "crm.business_customer"
SHOWN = 50


class BusinessCustomerGrid(Grid):
    entity = ENTITY
    export_name = "business-customers"
    default_sort = "name"
    search_fields = ("name", "account__name")
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column("account", "Account", value="account.name", sort="account__name"),
        Column("channel", "Channel", value="channel.name", sort="channel__name"),
        Column("contact", "Contact", value="contact", sort="contact__last_name"),
        Column("lifetime", "Lifetime sales value", kind="money", sort="lifetime"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("account", "Account", lookup="account__name"),
        Filter("lifetime", "Lifetime sales value", kind="number_range"),
        Filter("created_at", "Created", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return BusinessCustomer.objects.select_related("account", "channel", "contact", "owner")


class BusinessCustomerResource(ConsoleResource):
    entity = ENTITY
    name = "business_customers"
    grid = BusinessCustomerGrid
    form = BusinessCustomerForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return BusinessCustomer.objects.select_related(
            "account", "channel", "contact", "owner", "business_unit"
        ).prefetch_related("emails", "phones", "addresses")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: BusinessCustomer) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": obj.name,
            "account": obj.account_id,
            "channel": obj.channel_id,
            "contact": obj.contact_id,
            "owner": obj.owner_id,
            "emails": "\n".join(e.email for e in obj.emails.all()),
            "phones": "\n".join(p.phone for p in obj.phones.all()),
        }
        for address in obj.addresses.all():
            for name in ("street", "city", "postal_code", "country"):
                initial[f"{address.kind}_{name}"] = getattr(address, name)
        return initial

    def sections(self, request: HttpRequest, obj: BusinessCustomer) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Account", obj.account),
                    ("Channel", obj.channel),
                    ("Contact", obj.contact),
                    ("Lifetime sales value", f"{obj.lifetime} {base_currency()}"),
                ],
            ),
            Section(
                "Contact information",
                [
                    ("Emails", ", ".join(e.email for e in obj.emails.all()) or "—"),
                    ("Phones", ", ".join(p.phone for p in obj.phones.all()) or "—"),
                    *((a.get_kind_display(), str(a)) for a in obj.addresses.all()),
                    ("Owner", obj.owner),
                    ("Business unit", obj.business_unit),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: BusinessCustomer) -> list[Panel]:
        qs = Opportunity.objects.filter(
            customer_association__source_type=SOURCE_TYPE, customer_association__source_id=obj.pk
        ).select_related("owner")
        rows = list(acl.visible(request.user, "crm.opportunity", qs).order_by("-created_at", "-id")[:SHOWN])
        return [Panel("Opportunities", "crm/console/partials/opportunities.html", {"opportunities": rows})]

    def _fields(
        self, request: HttpRequest, obj: Any, form_data: dict[str, Any], form: Any = None
    ) -> dict[str, Any]:
        return {
            "name": form_data["name"],
            "account": form_data["account"],
            "channel": form_data["channel"],
            "contact": form_data["contact"],
            "owner": checked_owner(request, ENTITY, obj, form_data.get("owner")),
            "emails": lines(form_data["emails"], "email"),
            "phones": lines(form_data["phones"], "phone"),
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> BusinessCustomer:
        with form_fields():
            return services.business_customer_create(
                **self._fields(request, None, data), addresses=_addresses(data), actor=request.user
            )

    def update(self, request: HttpRequest, obj: BusinessCustomer, data: dict[str, Any]) -> BusinessCustomer:
        with form_fields():
            return services.business_customer_update(
                business_customer=obj,
                **self._fields(request, obj, data),
                addresses=_addresses(data),
                actor=request.user,
            )

    def delete(self, request: HttpRequest, obj: BusinessCustomer) -> None:
        services.business_customer_delete(business_customer=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: BusinessCustomer) -> list[str]:
        count = Opportunity.objects.filter(
            customer_association__source_type=SOURCE_TYPE, customer_association__source_id=obj.pk
        ).count()
        return [
            f"Its {count} opportunity(ies) stay with the account {obj.account}, attached to the account.",
            "Its emails, phones and addresses are deleted with it; its lifetime value leaves the channel.",
        ]


def _addresses(data: dict[str, Any]) -> list[dict[str, Any]]:
    return BusinessCustomerForm.addresses_of(data)
