"""/api/v1/customers and /api/v1/customer-groups."""

from __future__ import annotations

import json
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.api.customer_rows import customer_rows
from accord.commerce.api.refs import customer_ref, group_ref, owner_ref, users_ref
from accord.commerce.api.schemas import (
    CustomerGroupIn,
    CustomerGroupOut,
    CustomerGroupPatchIn,
    customer_schemas,
)
from accord.commerce.models import Customer, CustomerGroup, EntryPoint
from accord.commerce.models.customers import subtree_q
from accord.commerce.registries import api_output_attach, api_values, customer_write_extended
from accord.commerce.services import customers as services
from accord.commerce.services import groups as group_services
from accord.commerce.services.customers import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_built, page_of, page_window, paginate

if TYPE_CHECKING:
    from accord.commerce.api.schemas import CustomerIn, CustomerOut, CustomerPatchIn
else:  # built when the API is (after every app registered its customer extensions)
    CustomerOut, CustomerIn, CustomerPatchIn = customer_schemas()

customers = Router(tags=["customers"])
groups = Router(tags=["customer groups"])
ENTITY = "commerce.customer"


def _qs() -> QuerySet[Customer]:
    return Customer.objects.prefetch_related("sales_representatives", "addresses")


def _with_extensions(request: HttpRequest, customers: list[Customer]) -> list[Customer]:
    api_output_attach(customers, user=request.auth)
    return customers


def _sent(request: HttpRequest) -> dict[str, Any]:
    """The JSON body as sent: extensions registered after startup have no key in the schema."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


@customers.get("", response={200: page_of(CustomerOut), **ERRORS}, operation_id="customers_list")
def customers_list(
    request: HttpRequest,
    params: Query[ListParams],
    name: str | None = None,
    parent_id: int | None = None,
    root_id: int | None = None,
    group_id: int | None = None,
    subtree_of: int | None = None,
    external_id: str | None = None,
) -> Any:
    """Customers; `subtree_of=ID` gives that customer and all its descendants."""
    qs = acl.visible(request.auth, ENTITY, Customer.objects.all())
    if subtree_of is not None:
        top = acl.get_visible_or_404(request.auth, ENTITY, subtree_of)
        qs = qs.filter(subtree_q(top.path))
    for field, value in (("parent_id", parent_id), ("root_id", root_id), ("group_id", group_id)):
        if value is not None:
            qs = qs.filter(**{field: value})
    if name:
        qs = qs.filter(name__icontains=name)
    if external_id:
        qs = qs.filter(external_id=external_id)
    count, window = page_window(qs, params, sorts=("id", "name", "created_at", "updated_at", "depth", "path"))
    page = _with_extensions(request, list(window))
    return page_built(CustomerOut, count, customer_rows(page, CustomerOut))


@customers.get("/{int:pk}", response={200: CustomerOut, **ERRORS}, operation_id="customers_get")
def customers_get(request: HttpRequest, pk: int) -> Any:
    return _with_extensions(request, [acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())])[0]


@customers.post("", response={201: CustomerOut, **ERRORS}, operation_id="customers_create")
def customers_create(request: HttpRequest, payload: CustomerIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    extended = api_values(_sent(request), user=user, customer=None)
    create = partial(
        services.customer_create,
        name=payload.name,
        parent=customer_ref(user, payload.parent_id, "parent_id"),
        group=group_ref(user, payload.group_id),
        owner=owner_ref(user, ENTITY, payload.owner_id),
        sales_representatives=users_ref(user, payload.sales_representative_ids, "sales_representative_ids"),
        internal_rating=payload.internal_rating,
        payment_term=payload.payment_term,
        tax_code=payload.tax_code,
        external_id=payload.external_id,
        addresses=[a.dict() for a in payload.addresses],
        entry_point=EntryPoint.API,
        actor=user,
    )
    customer = customer_write_extended(create, values=extended, actor=user, created=True)
    return Status(201, _with_extensions(request, [_qs().get(pk=customer.pk)])[0])


@customers.patch("/{int:pk}", response={200: CustomerOut, **ERRORS}, operation_id="customers_update")
def customers_update(request: HttpRequest, pk: int, payload: CustomerPatchIn) -> Any:
    user = request.auth
    customer = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    reps = data.get("sales_representative_ids")
    addresses = data.get("addresses")
    extended = api_values(_sent(request), user=user, customer=customer)
    update = partial(
        services.customer_update,
        customer=customer,
        name=data.get("name"),
        parent=customer_ref(user, data["parent_id"], "parent_id") if "parent_id" in data else KEEP,
        group=group_ref(user, data["group_id"]) if "group_id" in data else KEEP,
        owner=owner_ref(user, ENTITY, data.get("owner_id"), customer),
        sales_representatives=users_ref(user, reps, "sales_representative_ids") if reps is not None else None,
        internal_rating=data.get("internal_rating"),
        payment_term=data.get("payment_term"),
        tax_code=data.get("tax_code"),
        external_id=data.get("external_id", KEEP),
        addresses=addresses,
        actor=user,
    )
    customer_write_extended(update, values=extended, actor=user, created=False)
    return _with_extensions(request, [_qs().get(pk=pk)])[0]


@customers.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="customers_delete")
def customers_delete(request: HttpRequest, pk: int) -> Any:
    customer = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.customer_delete(customer=customer, actor=request.auth)
    return Status(204, None)


add_history_route(customers, entity=ENTITY, resource="customers")


# --- customer groups ---------------------------------------------------------------------------
GROUP = "commerce.customer_group"


@groups.get("", response={200: page_of(CustomerGroupOut), **ERRORS}, operation_id="customer_groups_list")
def groups_list(request: HttpRequest, params: Query[ListParams], name: str | None = None) -> Any:
    qs = acl.visible(request.auth, GROUP, CustomerGroup.objects.all())
    if name:
        qs = qs.filter(name__icontains=name)
    return paginate(qs, params, sorts=("id", "name", "created_at"), default_sort="name")


@groups.get("/{int:pk}", response={200: CustomerGroupOut, **ERRORS}, operation_id="customer_groups_get")
def groups_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, GROUP, pk)


@groups.post("", response={201: CustomerGroupOut, **ERRORS}, operation_id="customer_groups_create")
def groups_create(request: HttpRequest, payload: CustomerGroupIn) -> Any:
    acl.require(request.auth, GROUP, "create")
    group = group_services.customer_group_create(
        name=payload.name,
        payment_term=payload.payment_term,
        tax_code=payload.tax_code,
        owner=owner_ref(request.auth, GROUP, payload.owner_id),
        actor=request.auth,
    )
    return Status(201, group)


@groups.patch("/{int:pk}", response={200: CustomerGroupOut, **ERRORS}, operation_id="customer_groups_update")
def groups_update(request: HttpRequest, pk: int, payload: CustomerGroupPatchIn) -> Any:
    group = acl.get_for_action(request.auth, GROUP, "edit", pk)
    data = payload.dict(exclude_unset=True)
    return group_services.customer_group_update(
        group=group,
        name=data.get("name"),
        payment_term=data.get("payment_term"),
        tax_code=data.get("tax_code"),
        owner=owner_ref(request.auth, GROUP, data.get("owner_id"), group),
        actor=request.auth,
    )


@groups.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="customer_groups_delete")
def groups_delete(request: HttpRequest, pk: int) -> Any:
    group = acl.get_for_action(request.auth, GROUP, "delete", pk)
    group_services.customer_group_delete(group=group, actor=request.auth)
    return Status(204, None)


add_history_route(groups, entity=GROUP, resource="customer-groups")
