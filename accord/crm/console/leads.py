"""Console pages for leads: grid, view, form, delete, and the conversion into an opportunity."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from accord.crm.console.common import checked_owner
from accord.crm.console.sales_actions import action_page
from accord.crm.console.sales_common import form_fields, money
from accord.crm.console.sales_forms import LeadConvertForm, LeadForm, lines
from accord.crm.models import Lead, LeadSource, LeadStatus, Opportunity
from accord.crm.services import leads as services
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.sales_common import KEEP
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "crm.lead"


class LeadGrid(Grid):
    entity = ENTITY
    export_name = "leads"
    default_sort = "-created_at"
    search_fields = ("name", "company_name", "last_name", "first_name")
    columns = (
        Column("name", "Lead", sort="name", link=True),
        Column("person", "Name", value="person_name"),
        Column("company_name", "Company", sort="company_name"),
        Column("status", "Status", value="get_status_display", sort="status", kind="badge"),
        Column("source", "Source", value="get_source_display", sort="source"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(LeadStatus.choices)),
        Filter("source", "Source", kind="choice", choices=tuple(LeadSource.choices)),
        Filter("company_name", "Company"),
        Filter("created_at", "Created", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Lead.objects.select_related("owner")


class LeadResource(ConsoleResource):
    entity = ENTITY
    name = "leads"
    grid = LeadGrid
    form = LeadForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Lead.objects.select_related(
            "owner", "business_unit", "contact", "customer_association__account"
        ).prefetch_related("emails", "phones", "addresses")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: Lead) -> dict[str, Any]:
        initial = {
            name: getattr(obj, name) for name in (*services.TEXT_FIELDS, "name", "status", "source", "notes")
        }
        address = next(iter(obj.addresses.all()), None)
        if address is not None:
            initial.update(
                {name: getattr(address, name) for name in ("street", "city", "postal_code", "country")}
            )
        initial.update(
            owner=obj.owner_id,
            contact=obj.contact_id,
            account=obj.customer_association.account_id if obj.customer_association_id else None,
            emails="\n".join(e.email for e in obj.emails.all()),
            phones="\n".join(p.phone for p in obj.phones.all()),
        )
        return initial

    def sections(self, request: HttpRequest, obj: Lead) -> list[Section]:
        account = obj.customer_association.account if obj.customer_association_id else None
        return [
            Section(
                "General",
                [
                    ("Name", obj.person_name or "—"),
                    ("Company", obj.company_name),
                    ("Job title", obj.job_title),
                    ("Status", obj.get_status_display()),
                    ("Source", obj.get_source_display() or "—"),
                    ("Account", account or "—"),
                    ("Contact", obj.contact or "—"),
                    ("Website", obj.website),
                ],
            ),
            Section(
                "Contact information",
                [
                    ("Emails", ", ".join(e.email for e in obj.emails.all()) or "—"),
                    ("Phones", ", ".join(p.phone for p in obj.phones.all()) or "—"),
                    ("Addresses", "; ".join(str(a) for a in obj.addresses.all()) or "—"),
                    ("Owner", obj.owner),
                    ("Notes", obj.notes),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: Lead) -> list[Panel]:
        qs = acl.visible(request.user, "crm.opportunity", Opportunity.objects.filter(lead=obj))
        rows = list(qs.select_related("owner").order_by("-created_at")[:50])
        return [Panel("Opportunities", "crm/console/partials/opportunities.html", {"opportunities": rows})]

    def actions(self, request: HttpRequest, obj: Lead) -> list[tuple[str, str, str]]:
        if obj.status == LeadStatus.DISQUALIFIED or not acl.can(request.user, ENTITY, "edit", obj):
            return []
        from django.urls import reverse

        return [
            ("Convert to opportunity", reverse("console:leads_convert", kwargs={"pk": obj.pk}), "btn-success")
        ]

    def _fields(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        account = data.get("account")
        return {
            "name": data["name"],
            "status": data["status"],
            "source": data["source"],
            "notes": data["notes"],
            "contact": data["contact"],
            "customer_association": customer_association_for_account(account=account) if account else None,
            "owner": checked_owner(request, ENTITY, obj, data.get("owner")),
            "emails": lines(data["emails"], "email"),
            "phones": lines(data["phones"], "phone"),
            "addresses": LeadForm.addresses_of(data),
            **{name: data.get(name) or "" for name in services.TEXT_FIELDS},
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Lead:
        with form_fields():
            return services.lead_create(**self._fields(request, None, data), actor=request.user)

    def update(self, request: HttpRequest, obj: Lead, data: dict[str, Any]) -> Lead:
        fields = self._fields(request, obj, data)
        current = obj.customer_association
        if current is not None and data.get("account") and current.account_id == data["account"].pk:
            fields["customer_association"] = KEEP  # a customer's hub row stays when its account is kept
        with form_fields():
            return services.lead_update(lead=obj, **fields, actor=request.user)

    def delete(self, request: HttpRequest, obj: Lead) -> None:
        services.lead_delete(lead=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Lead) -> list[str]:
        count = Opportunity.objects.filter(lead=obj).count()
        return [
            f"Its {count} opportunity(ies) stay, without a lead.",
            "Its emails, phones and addresses go with it.",
        ]

    def convert_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def run(lead: Lead, data: dict[str, Any]) -> Any:
            acl.require(request.user, "crm.opportunity", "create")
            if data["account"] is None:
                acl.require(request.user, "crm.account", "create")
            with form_fields():
                return services.lead_convert(
                    lead=lead,
                    account=data["account"],
                    account_name=data["account_name"] or None,
                    contact=data["contact"],
                    create_contact=data["create_contact"],
                    opportunity_name=data["opportunity_name"] or None,
                    budget=money(data, "budget"),
                    allow_duplicates=data["allow_duplicates"],
                    actor=request.user,
                )

        def warnings(lead: Lead) -> list[str]:
            return services.lead_conversion_matches(lead=lead).warnings()

        return action_page(
            self,
            request,
            pk,
            form_class=LeadConvertForm,
            label="Convert to opportunity",
            run=run,
            warnings=warnings,
            initial={"create_contact": True},
        )

    def urls(self) -> list[URLPattern]:
        return [
            *super().urls(),
            path("leads/<int:pk>/convert/", self._wrap(self.convert_view, "edit"), name="leads_convert"),
        ]
