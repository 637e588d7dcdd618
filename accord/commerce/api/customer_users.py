"""/api/v1/customer-users and /api/v1/customer-user-roles."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce.api.customer_rows import USER_COLUMNS, customer_user_rows
from accord.commerce.api.refs import customer_ref, owner_ref, roles_ref
from accord.commerce.api.schemas import (
    LEVEL_NAMES,
    CustomerUserIn,
    CustomerUserOut,
    CustomerUserPatchIn,
    CustomerUserRoleIn,
    CustomerUserRoleOut,
    CustomerUserRolePatchIn,
)
from accord.commerce.models import CustomerUser, EntryPoint
from accord.commerce.models.customers import subtree_q
from accord.commerce.selectors.customers import roles_in_organization
from accord.commerce.services import customer_users as services
from accord.commerce.services import roles as role_services
from accord.commerce.services.customer_users import KEEP
from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, page_rows, paginate

users = Router(tags=["customer users"])
roles = Router(tags=["customer user roles"])
ENTITY = "commerce.customer_user"
ROLE = "commerce.customer_user_role"
_NAMES = ("email", "first_name", "last_name", "name_prefix", "middle_name", "name_suffix")
_FLAGS = ("enabled", "confirmed", "is_guest")


def _qs() -> QuerySet[CustomerUser]:
    return CustomerUser.objects.prefetch_related("roles", "addresses")


@users.get("", response={200: page_of(CustomerUserOut), **ERRORS}, operation_id="customer_users_list")
def users_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    subtree_of: int | None = None,
    email: str | None = None,
    enabled: bool | None = None,
) -> Any:
    """Customer users; `subtree_of=ID` gives the users of that customer and all its descendants."""
    qs = acl.visible(request.auth, ENTITY, CustomerUser.objects.all())
    if subtree_of is not None:
        top = acl.get_visible_or_404(request.auth, "commerce.customer", subtree_of)
        qs = qs.filter(subtree_q(top.path, "customer__path"))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if email:
        qs = qs.filter(email_lower__contains=email.lower())
    if enabled is not None:
        qs = qs.filter(enabled=enabled)
    sorts = ("id", "email_lower", "last_name", "created_at")
    return page_rows(qs, params, CustomerUserOut, USER_COLUMNS, customer_user_rows, sorts=sorts)


@users.get("/{int:pk}", response={200: CustomerUserOut, **ERRORS}, operation_id="customer_users_get")
def users_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ENTITY, pk, _qs())


@users.post("", response={201: CustomerUserOut, **ERRORS}, operation_id="customer_users_create")
def users_create(request: HttpRequest, payload: CustomerUserIn) -> Any:
    user = request.auth
    acl.require(user, ENTITY, "create")
    data = payload.dict()
    created = services.customer_user_create(
        **{name: data[name] for name in (*_NAMES, *_FLAGS, "birthday", "password", "addresses")},
        customer=customer_ref(user, payload.customer_id, "customer_id"),
        roles=roles_ref(user, payload.role_ids),
        owner=owner_ref(user, ENTITY, payload.owner_id),
        entry_point=EntryPoint.API,
        actor=user,
    )
    return Status(201, _qs().get(pk=created.pk))


@users.patch("/{int:pk}", response={200: CustomerUserOut, **ERRORS}, operation_id="customer_users_update")
def users_update(request: HttpRequest, pk: int, payload: CustomerUserPatchIn) -> Any:
    user = request.auth
    record = acl.get_for_action(user, ENTITY, "edit", pk)
    data = payload.dict(exclude_unset=True)
    services.customer_user_update(
        customer_user=record,
        **{name: data.get(name) for name in (*_NAMES, *_FLAGS, "password", "addresses")},
        birthday=data.get("birthday", KEEP),
        customer=customer_ref(user, data.get("customer_id"), "customer_id"),
        roles=roles_ref(user, data["role_ids"]) if data.get("role_ids") is not None else None,
        owner=owner_ref(user, ENTITY, data.get("owner_id"), record),
        actor=user,
    )
    return _qs().get(pk=pk)


@users.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="customer_users_delete")
def users_delete(request: HttpRequest, pk: int) -> Any:
    record = acl.get_for_action(request.auth, ENTITY, "delete", pk)
    services.customer_user_delete(customer_user=record, actor=request.auth)
    return Status(204, None)


add_history_route(users, entity=ENTITY, resource="customer-users")


# --- customer user roles -----------------------------------------------------------------------
_LEVELS = {name: int(level) for level, name in LEVEL_NAMES.items()}


def _role_qs(user: Any) -> Any:
    return roles_in_organization(user.organization_id).prefetch_related("grants")


def _grants(raw: dict[str, dict[str, str]] | None) -> dict[str, dict[str, int]] | None:
    if raw is None:
        return None
    return {
        entity: {action: _LEVELS[name] for action, name in actions.items()} for entity, actions in raw.items()
    }


@roles.get(
    "", response={200: page_of(CustomerUserRoleOut), **ERRORS}, operation_id="customer_user_roles_list"
)
def roles_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    shared: bool | None = None,
) -> Any:
    qs = acl.visible(request.auth, ROLE, _role_qs(request.auth))
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if shared is not None:
        qs = qs.filter(customer__isnull=shared)
    return paginate(qs, params, sorts=("id", "label", "role", "created_at"), default_sort="label")


@roles.get("/{int:pk}", response={200: CustomerUserRoleOut, **ERRORS}, operation_id="customer_user_roles_get")
def roles_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, ROLE, pk, _role_qs(request.auth))


@roles.post("", response={201: CustomerUserRoleOut, **ERRORS}, operation_id="customer_user_roles_create")
def roles_create(request: HttpRequest, payload: CustomerUserRoleIn) -> Any:
    acl.require(request.auth, ROLE, "create")
    role = role_services.customer_user_role_create(
        label=payload.label,
        customer=customer_ref(request.auth, payload.customer_id, "customer_id"),
        self_managed=payload.self_managed,
        public=payload.public,
        grants=_grants(payload.grants),
        actor=request.auth,
    )
    return Status(201, _role_qs(request.auth).get(pk=role.pk))


@roles.patch(
    "/{int:pk}", response={200: CustomerUserRoleOut, **ERRORS}, operation_id="customer_user_roles_update"
)
def roles_update(request: HttpRequest, pk: int, payload: CustomerUserRolePatchIn) -> Any:
    role = acl.get_for_action(request.auth, ROLE, "edit", pk, _role_qs(request.auth))
    data = payload.dict(exclude_unset=True)
    role_services.customer_user_role_update(
        role=role,
        label=data.get("label"),
        self_managed=data.get("self_managed"),
        public=data.get("public"),
        grants=_grants(data.get("grants")),
        actor=request.auth,
    )
    return _role_qs(request.auth).get(pk=pk)


@roles.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="customer_user_roles_delete")
def roles_delete(request: HttpRequest, pk: int) -> Any:
    role = acl.get_for_action(request.auth, ROLE, "delete", pk, _role_qs(request.auth))
    role_services.customer_user_role_delete(role=role, actor=request.auth)
    return Status(204, None)


add_history_route(roles, entity=ROLE, resource="customer-user-roles")
