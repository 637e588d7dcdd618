"""/api/v1/leads (+ convert)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import account_ref, contact_ref, owner_ref
from accord.crm.api.sales_refs import association_ref
from accord.crm.api.sales_rows import LEAD_ACCOUNT, LEAD_COLUMNS, lead_rows
from accord.crm.api.sales_schemas import LeadConvertIn, LeadConvertOut, LeadIn, LeadOut, LeadPatchIn
from accord.crm.models import Lead, Opportunity
from accord.crm.services import leads as services
from accord.crm.services.leads import TEXT_FIELDS
from accord.crm.services.sales_common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows

leads = Router(tags=["leads"])
ENTITY = "crm.lead"


def _qs() -> QuerySet[Lead]:
    return Lead.objects.select_related("customer_association").prefetch_related(
        "emails", "phones", "addresses"
    )


def _texts(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in TEXT_FIELDS if data.get(name) is not None}


@leads.get("", response={200: page_of(LeadOut), **ERRORS}, operation_id="leads_list")
def leads_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    status: str | None = None,
    source: str | None = None,
    owner_id: int | None = None,
    account_id: int | None = None,
) -> Any:
    qs = acl.visible(request.auth, ENTITY, Lead.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    if status:
        qs = qs.filter(status__in=[s.strip() for s in status.split(",")])
    if source:
        qs = qs.filter(source=source)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if account_id is not None:
        qs = qs.filter(customer_association__account_id=account_id)
    sorts = ("id", "name", "status", "company_name", "created_at", "updated_at")
    return page_rows(qs, params, LeadOut, LEAD_COLUMNS, lead_rows, sorts=sorts, expressions=LEAD_ACCOUNT)


@leads.get("/{int:pk}", response={200: LeadOut, **ERRORS}, operation_id="leads_get")
def leads_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())


@leads.post("", response={201: LeadOut, **ERRORS}, operation_id="leads_create")
def leads_create(request: HttpRequest, payload: LeadIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    data = payload.dict()
    association = association_ref(user, data, required=False)
    lead = services.lead_create(
        name=payload.name,
        status=payload.status or "new",
        source=payload.source or "",
        notes=payload.notes or "",
        customer_association=None if association is KEEP else association,
        contact=contact_ref(user, payload.contact_id, "contact_id"),
        owner=owner_ref(user, ENTITY, payload.owner_id),
        emails=data["emails"] or [],
        phones=data["phones"] or [],
        addresses=data["addresses"] or [],
        actor=user,
        **_texts(data),
    )
    return Status(201, _qs().get(pk=lead.pk))


@leads.patch("/{int:pk}", response={200: LeadOut, **ERRORS}, operation_id="leads_update")
def leads_update(request: HttpRequest, pk: int, payload: LeadPatchIn) -> Any:
    user = request.auth
    lead = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    services.lead_update(
        lead=lead,
        name=data.get("name"),
        status=data.get("status"),
        source=data.get("source"),
        notes=data.get("notes"),
        customer_association=association_ref(user, data, required=False),
        contact=contact_ref(user, data["contact_id"], "contact_id") if "contact_id" in data else KEEP,
        owner=owner_ref(user, ENTITY, data.get("owner_id"), lead),
        emails=data.get("emails"),
        phones=data.get("phones"),
        addresses=data.get("addresses"),
        actor=user,
        **_texts(data),
    )
    return _qs().get(pk=pk)


@leads.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="leads_delete")
def leads_delete(request: HttpRequest, pk: int) -> Any:
    lead = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.lead_delete(lead=lead, actor=request.auth)
    return Status(204, None)


@leads.post("/{int:pk}/convert", response={201: LeadConvertOut, **ERRORS}, operation_id="leads_convert")
def leads_convert(request: HttpRequest, pk: int, payload: LeadConvertIn) -> Any:
    """Qualify the lead into an opportunity; 409 (naming the matches) when a new account or contact
    would duplicate an existing one, unless `allow_duplicates`."""
    user = request.auth
    lead = acl.get_for_action(user, ENTITY, "edit", pk)
    acl.require(user, "crm.opportunity", "create")
    if payload.account_id is None:
        acl.require(user, "crm.account", "create")
    if payload.contact_id is None and payload.create_contact:
        acl.require(user, "crm.contact", "create")
    budget = payload.budget
    opportunity = services.lead_convert(
        lead=lead,
        account=account_ref(user, payload.account_id, "account_id"),
        account_name=payload.account_name,
        contact=contact_ref(user, payload.contact_id, "contact_id"),
        create_contact=payload.create_contact,
        opportunity_name=payload.opportunity_name,
        budget=(budget.amount, budget.currency) if budget else None,
        allow_duplicates=payload.allow_duplicates,
        actor=user,
    )
    opportunity = Opportunity.objects.select_related("customer_association").get(pk=opportunity.pk)
    return Status(
        201,
        {
            "opportunity": opportunity,
            "account_id": opportunity.customer_association.account_id,
            "contact_id": opportunity.contact_id,
        },
    )


add_history_route(leads, entity=ENTITY, resource="leads")
