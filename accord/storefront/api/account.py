"""/me (profile, password) and /customer-users (my company's users: invite, enable, roles)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status

from accord.commerce import storefront_acl as sacl
from accord.commerce.models import CustomerUser
from accord.commerce.services.customer_users import customer_user_update
from accord.commerce.services.registration import (
    assignable_roles,
    customer_user_invite,
    customer_user_manage,
)
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate
from accord.platform.errors import NotFound, ValidationFailed
from accord.storefront import access, auth, mail
from accord.storefront.api.schemas import (
    LEVEL_NAMES,
    CustomerUserOut,
    CustomerUserPatchIn,
    InviteIn,
    MeOut,
    MePatchIn,
    PasswordIn,
)
from accord.storefront.views.account import default_role

account = Router(tags=["me"])
customer_users = Router(tags=["customer users"])
USERS = "commerce.customer_user"


def _qs() -> QuerySet[CustomerUser]:
    return CustomerUser.objects.select_related("customer").prefetch_related("roles")


def _me(user: CustomerUser) -> CustomerUser:
    fresh = _qs().get(pk=user.pk)
    fresh.grants = {  # type: ignore[attr-defined]
        key: {action: LEVEL_NAMES[int(sacl.level_for(user, key, action))] for action in sacl.ACTIONS}
        for key in sacl.ENTITIES
    }
    return fresh


@account.get("", response={200: MeOut, **ERRORS}, operation_id="me_get")
def me_get(request: HttpRequest) -> Any:
    """The logged-in customer user, with what its roles grant."""
    return _me(request.auth)


@account.patch("", response={200: MeOut, **ERRORS}, operation_id="me_update")
def me_update(request: HttpRequest, payload: MePatchIn) -> Any:
    data = payload.dict(exclude_unset=True)
    user = customer_user_update(customer_user=request.auth, actor=auth.actor_for(request.auth), **data)
    return _me(user)


@account.post("/password", response={204: None, **ERRORS}, operation_id="me_password")
def me_password(request: HttpRequest, payload: PasswordIn) -> Any:
    """Change the password (the current one is required); other sessions end."""
    user = request.auth
    if not user.check_password(payload.current_password):
        raise ValidationFailed({"current_password": "This is not your current password."})
    updated = customer_user_update(customer_user=user, password=payload.password, actor=auth.actor_for(user))
    auth.keep_session_after_password_change(request, updated)
    return Status(204, None)


@customer_users.get(
    "", response={200: page_of(CustomerUserOut), **ERRORS}, operation_id="sf_customer_users_list"
)
def users_list(
    request: HttpRequest,
    params: Query[ListParams],
    customer_id: int | None = None,
    enabled: bool | None = None,
) -> Any:
    """The users of the customers your role reaches (your customer, or with it its descendants)."""
    qs = access.visible(request.auth, USERS, _qs())
    if customer_id is not None:
        qs = qs.filter(customer_id=customer_id)
    if enabled is not None:
        qs = qs.filter(enabled=enabled)
    return paginate(
        qs, params, sorts=("id", "email_lower", "last_name", "created_at"), default_sort="last_name"
    )


@customer_users.get(
    "/{int:pk}", response={200: CustomerUserOut, **ERRORS}, operation_id="sf_customer_users_get"
)
def users_get(request: HttpRequest, pk: int) -> Any:
    return access.get_visible_or_404(request.auth, USERS, pk, _qs())


@customer_users.post("", response={201: CustomerUserOut, **ERRORS}, operation_id="sf_customer_users_invite")
def users_invite(request: HttpRequest, payload: InviteIn) -> Any:
    """Invite a colleague: a user without a password, mailed a link to choose one."""
    user = request.auth
    access.require(user, USERS, "create")
    customer_id = payload.customer_id or user.customer_id
    customer = access.customers_for(user, USERS, "create").filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("Not found.", field="customer_id")
    offered = {r.pk: r for r in assignable_roles(customer)}
    unknown = [pk for pk in payload.role_ids if pk not in offered]
    if unknown:
        raise ValidationFailed({"role_ids": "Choose among the self-managed roles of your company."})
    created = customer_user_invite(
        customer=customer,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        roles=[default_role(), *(offered[pk] for pk in payload.role_ids)],
        actor=auth.actor_for(user),
    )
    mail.send_invitation(request, created, user)
    return Status(201, _qs().get(pk=created.pk))


@customer_users.patch(
    "/{int:pk}", response={200: CustomerUserOut, **ERRORS}, operation_id="sf_customer_users_update"
)
def users_update(request: HttpRequest, pk: int, payload: CustomerUserPatchIn) -> Any:
    """Enable or disable a colleague, or set its self-managed roles."""
    user = request.auth
    colleague = access.get_for_action(user, USERS, "edit", pk, _qs())
    roles = None
    if payload.role_ids is not None:
        offered = {r.pk: r for r in assignable_roles(colleague.customer)}
        if any(pk not in offered for pk in payload.role_ids):
            raise ValidationFailed({"role_ids": "Choose among the self-managed roles of your company."})
        roles = [offered[pk] for pk in payload.role_ids]
    customer_user_manage(
        customer_user=colleague, by=user, enabled=payload.enabled, roles=roles, actor=auth.actor_for(user)
    )
    return _qs().get(pk=pk)
