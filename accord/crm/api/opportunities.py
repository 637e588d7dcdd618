"""/api/v1/opportunities (+ close-won, close-lost)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import contact_ref, owner_ref
from accord.crm.api.opportunity_rows import COLUMNS, HUB, opportunity_rows
from accord.crm.api.sales_refs import association_ref, lead_ref
from accord.crm.api.sales_schemas import (
    CloseLostIn,
    CloseWonIn,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatchIn,
)
from accord.crm.models import Opportunity
from accord.crm.services import opportunities as services
from accord.crm.services.sales_common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows
from accord.platform.errors import ValidationFailed

opportunities = Router(tags=["opportunities"])
ENTITY = "crm.opportunity"


def _qs() -> QuerySet[Opportunity]:
    return Opportunity.objects.select_related("customer_association")


def _money(value: Any) -> tuple[Any, str] | None:
    return None if value is None else (value["amount"], value["currency"])


@opportunities.get("", response={200: page_of(OpportunityOut), **ERRORS}, operation_id="opportunities_list")
def opportunities_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    status: str | None = None,
    account_id: int | None = None,
    customer_association_id: int | None = None,
    owner_id: int | None = None,
    customer_type: str | None = None,
    customer_id: int | None = None,
    close_date_from: str | None = None,
    close_date_to: str | None = None,
) -> Any:
    """`status` takes several values separated by commas (OR); `customer_type` + `customer_id` select
    the opportunities of one customer record (e.g. `crm.business_customer`, 7)."""
    qs = acl.visible(request.auth, ENTITY, Opportunity.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    if status:
        qs = qs.filter(status__in=[s.strip() for s in status.split(",") if s.strip()])
    if account_id is not None:
        qs = qs.filter(customer_association__account_id=account_id)
    if customer_association_id is not None:
        qs = qs.filter(customer_association_id=customer_association_id)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if customer_type:  # opportunities of one customer record of any channel ("commerce.customer", 7)
        qs = qs.filter(customer_association__source_type=customer_type)
        if customer_id is not None:
            qs = qs.filter(customer_association__source_id=customer_id)
    for value, lookup, field in (
        (close_date_from, "gte", "query.close_date_from"),
        (close_date_to, "lte", "query.close_date_to"),
    ):
        if value:
            qs = qs.filter(**{f"close_date__{lookup}": _date(value, field)})
    sorts = ("id", "name", "status", "close_date", "created_at", "updated_at", "probability", "budget_amount")
    return page_rows(qs, params, OpportunityOut, COLUMNS, opportunity_rows, sorts=sorts, expressions=HUB)


def _date(value: str, field: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed({field: "Use a date as YYYY-MM-DD."}) from None


@opportunities.get("/{int:pk}", response={200: OpportunityOut, **ERRORS}, operation_id="opportunities_get")
def opportunities_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())


@opportunities.post("", response={201: OpportunityOut, **ERRORS}, operation_id="opportunities_create")
def opportunities_create(request: HttpRequest, payload: OpportunityIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    data = payload.dict()
    opportunity = services.opportunity_create(
        name=payload.name,
        customer_association=association_ref(user, data, required=True),
        status=payload.status or "in_progress",
        probability=payload.probability if payload.probability is not None else KEEP,
        budget=_money(data["budget"]),
        close_revenue=_money(data["close_revenue"]),
        close_date=payload.close_date,
        close_reason=payload.close_reason or "",
        contact=contact_ref(user, payload.contact_id, "contact_id"),
        lead=lead_ref(user, payload.lead_id),
        customer_need=payload.customer_need or "",
        proposed_solution=payload.proposed_solution or "",
        notes=payload.notes or "",
        owner=owner_ref(user, ENTITY, payload.owner_id),
        actor=user,
    )
    return Status(201, _qs().get(pk=opportunity.pk))


@opportunities.patch(
    "/{int:pk}", response={200: OpportunityOut, **ERRORS}, operation_id="opportunities_update"
)
def opportunities_update(request: HttpRequest, pk: int, payload: OpportunityPatchIn) -> Any:
    user = request.auth
    opportunity = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    services.opportunity_update(
        opportunity=opportunity,
        name=data.get("name"),
        status=data.get("status"),
        probability=data.get("probability", KEEP),
        budget=_money(data["budget"]) if "budget" in data else KEEP,
        close_revenue=_money(data["close_revenue"]) if "close_revenue" in data else KEEP,
        close_date=data.get("close_date", KEEP),
        close_reason=data.get("close_reason"),
        customer_association=association_ref(user, data, required=False),
        contact=contact_ref(user, data["contact_id"], "contact_id") if "contact_id" in data else KEEP,
        lead=lead_ref(user, data["lead_id"]) if "lead_id" in data else KEEP,
        customer_need=data.get("customer_need"),
        proposed_solution=data.get("proposed_solution"),
        notes=data.get("notes"),
        owner=owner_ref(user, ENTITY, data.get("owner_id"), opportunity),
        actor=user,
    )
    return _qs().get(pk=pk)


@opportunities.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="opportunities_delete")
def opportunities_delete(request: HttpRequest, pk: int) -> Any:
    opportunity = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.opportunity_delete(opportunity=opportunity, actor=request.auth)
    return Status(204, None)


@opportunities.post(
    "/{int:pk}/close-won", response={200: OpportunityOut, **ERRORS}, operation_id="opportunities_close_won"
)
def opportunities_close_won(request: HttpRequest, pk: int, payload: CloseWonIn) -> Any:
    opportunity = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    data = payload.dict()
    services.opportunity_close_won(
        opportunity=opportunity,
        close_date=payload.close_date,
        close_revenue=_money(data["close_revenue"]),
        actor=request.auth,
    )
    return _qs().get(pk=pk)


@opportunities.post(
    "/{int:pk}/close-lost", response={200: OpportunityOut, **ERRORS}, operation_id="opportunities_close_lost"
)
def opportunities_close_lost(request: HttpRequest, pk: int, payload: CloseLostIn) -> Any:
    opportunity = acl.get_for_action(request.auth, ENTITY, "edit", pk)
    services.opportunity_close_lost(
        opportunity=opportunity,
        close_date=payload.close_date,
        close_reason=payload.close_reason,
        actor=request.auth,
    )
    return _qs().get(pk=pk)


add_history_route(opportunities, entity=ENTITY, resource="opportunities")
