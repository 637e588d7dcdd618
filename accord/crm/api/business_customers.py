"""/api/v1/business-customers."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.crm.api.core_refs import account_ref, contact_ref, owner_ref
from accord.crm.api.sales_refs import channel_ref, hub_ids
from accord.crm.api.sales_rows import BUSINESS_CUSTOMER_COLUMNS, business_customer_rows
from accord.crm.api.sales_schemas import BusinessCustomerIn, BusinessCustomerOut, BusinessCustomerPatchIn
from accord.crm.models import BusinessCustomer
from accord.crm.services import business_customers as services
from accord.crm.services.sales_common import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows

business_customers = Router(tags=["business customers"])
ENTITY = "crm.business_customer"


def _qs() -> QuerySet[BusinessCustomer]:
    return BusinessCustomer.objects.prefetch_related("emails", "phones", "addresses")


def _one(pk: int) -> BusinessCustomer:
    customer = _qs().get(pk=pk)
    hub_ids([customer])
    return customer


def _points(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data.get(name) for name in ("emails", "phones", "addresses")}


@business_customers.get(
    "", response={200: page_of(BusinessCustomerOut), **ERRORS}, operation_id="business_customers_list"
)
def business_customers_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    account_id: int | None = None,
    channel_id: int | None = None,
) -> Any:
    qs = acl.visible(request.auth, ENTITY, BusinessCustomer.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    if account_id is not None:
        qs = qs.filter(account_id=account_id)
    if channel_id is not None:
        qs = qs.filter(channel_id=channel_id)
    sorts = ("id", "name", "created_at", "updated_at", "lifetime")
    columns = BUSINESS_CUSTOMER_COLUMNS
    return page_rows(qs, params, BusinessCustomerOut, columns, business_customer_rows, sorts=sorts)


@business_customers.get(
    "/{int:pk}", response={200: BusinessCustomerOut, **ERRORS}, operation_id="business_customers_get"
)
def business_customers_get(request: HttpRequest, pk: int) -> Any:
    acl.get_visible_or_404(request.auth, ENTITY, pk)
    return _one(pk)


@business_customers.post(
    "", response={201: BusinessCustomerOut, **ERRORS}, operation_id="business_customers_create"
)
def business_customers_create(request: HttpRequest, payload: BusinessCustomerIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    data = payload.dict()
    customer = services.business_customer_create(
        name=payload.name,
        account=account_ref(user, payload.account_id, "account_id"),
        channel=channel_ref(user, payload.channel_id),
        contact=contact_ref(user, payload.contact_id, "contact_id"),
        owner=owner_ref(user, ENTITY, payload.owner_id),
        emails=data["emails"] or [],
        phones=data["phones"] or [],
        addresses=data["addresses"] or [],
        actor=user,
    )
    return Status(201, _one(customer.pk))


@business_customers.patch(
    "/{int:pk}", response={200: BusinessCustomerOut, **ERRORS}, operation_id="business_customers_update"
)
def business_customers_update(request: HttpRequest, pk: int, payload: BusinessCustomerPatchIn) -> Any:
    user = request.auth
    customer = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    services.business_customer_update(
        business_customer=customer,
        name=data.get("name"),
        account=account_ref(user, data["account_id"], "account_id") if "account_id" in data else KEEP,
        channel=channel_ref(user, data["channel_id"]) if "channel_id" in data else KEEP,
        contact=contact_ref(user, data["contact_id"], "contact_id") if "contact_id" in data else KEEP,
        owner=owner_ref(user, ENTITY, data.get("owner_id"), customer),
        actor=user,
        **_points(data),
    )
    return _one(pk)


@business_customers.delete(
    "/{int:pk}", response={204: None, **ERRORS}, operation_id="business_customers_delete"
)
def business_customers_delete(request: HttpRequest, pk: int) -> Any:
    customer = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.business_customer_delete(business_customer=customer, actor=request.auth)
    return Status(204, None)


add_history_route(business_customers, entity=ENTITY, resource="business-customers")
