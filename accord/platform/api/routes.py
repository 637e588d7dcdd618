"""The platform's API resources: users, business units, roles, settings, jobs, search,
activities and the caller's own tokens."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import register_converter
from ninja import File, Form, NinjaAPI, Query, Router, Status
from ninja.files import UploadedFile

from accord.platform import acl
from accord.platform.api.history import add_history_route
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate
from accord.platform.api.schemas import (
    ActivityIn,
    ActivityOut,
    BusinessUnitIn,
    BusinessUnitOut,
    BusinessUnitPatchIn,
    CurrencyRateIn,
    CurrencyRateOut,
    JobDetailOut,
    JobOut,
    RoleIn,
    RoleOut,
    RolePatchIn,
    SearchOut,
    SettingOut,
    SettingsPatchIn,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserCreateIn,
    UserOut,
    UserPatchIn,
)
from accord.platform.errors import Forbidden, ValidationFailed
from accord.platform.imports import import_start
from accord.platform.models import Activity, BusinessUnit, CurrencyRate, Job, Role, User
from accord.platform.money import currency_rate_set
from accord.platform.registries import setting_defs
from accord.platform.search import search
from accord.platform.selectors import activities_for
from accord.platform.services import activities as activity_services
from accord.platform.services import organization as org_services
from accord.platform.services import roles as role_services
from accord.platform.services import settings as setting_services
from accord.platform.services import tokens as token_services
from accord.platform.services import users as user_services

users = Router(tags=["users"])
units = Router(tags=["business units"])
roles = Router(tags=["roles"])
settings_router = Router(tags=["settings"])
jobs = Router(tags=["jobs"])
search_router = Router(tags=["search"])
activities = Router(tags=["activities"])
me = Router(tags=["me"])
rates = Router(tags=["currency rates"])
imports_router = Router(tags=["imports"])


def _unit(user: User, pk: int | None, field: str) -> BusinessUnit | None:
    if pk is None:
        return None
    unit = BusinessUnit.objects.filter(pk=pk, organization_id=user.organization_id).first()
    if unit is None:
        raise ValidationFailed({field: f"Business unit {pk} does not exist."})
    return unit


def _roles(ids: list[int]) -> list[Role]:
    found = list(Role.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        raise ValidationFailed({"role_ids": f"Unknown role(s): {', '.join(map(str, missing))}."})
    return found


# --- users ---------------------------------------------------------------------------------
@users.get("", response={200: page_of(UserOut), **ERRORS}, operation_id="users_list")
def users_list(
    request: HttpRequest, params: Query[ListParams], q: str = "", is_active: bool | None = None
) -> Any:
    qs = acl.visible(request.auth, "platform.user", User.objects.prefetch_related("roles"))
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(email__icontains=q)
    if is_active is not None:
        qs = qs.filter(is_active=is_active)
    return paginate(qs, params, sorts=("id", "username", "email", "date_joined", "last_name"))


@users.get("/{int:pk}", response={200: UserOut, **ERRORS}, operation_id="users_get")
def users_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, "platform.user", pk, User.objects.prefetch_related("roles"))


@users.post("", response={201: UserOut, **ERRORS}, operation_id="users_create")
def users_create(request: HttpRequest, payload: UserCreateIn) -> Any:
    acl.require(request.auth, "platform.user", "create")
    unit = _unit(request.auth, payload.business_unit_id, "business_unit_id")
    assert unit is not None
    user = user_services.user_create(
        username=payload.username,
        password=payload.password,
        business_unit=unit,
        email=payload.email,
        first_name=payload.first_name,
        last_name=payload.last_name,
        roles=_roles(payload.role_ids),
        is_active=payload.is_active,
        actor=request.auth,
    )
    return Status(201, user)


@users.patch("/{int:pk}", response={200: UserOut, **ERRORS}, operation_id="users_update")
def users_update(request: HttpRequest, pk: int, payload: UserPatchIn) -> Any:
    user = acl.get_for_action(request.auth, "platform.user", "edit", pk)
    data = payload.dict(exclude_unset=True)
    if "role_ids" in data and not acl.is_administrator(request.auth):
        raise Forbidden("Only administrators may change roles.")
    return user_services.user_update(
        user=user,
        actor=request.auth,
        email=data.get("email"),
        first_name=data.get("first_name"),
        last_name=data.get("last_name"),
        title=data.get("title"),
        phone=data.get("phone"),
        business_unit=_unit(request.auth, data.get("business_unit_id"), "business_unit_id"),
        roles=_roles(data["role_ids"]) if data.get("role_ids") is not None else None,
        is_active=data.get("is_active"),
    )


@users.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="users_delete")
def users_delete(request: HttpRequest, pk: int) -> Any:
    user = acl.get_for_action(request.auth, "platform.user", "delete", pk)
    user_services.user_delete(user=user, actor=request.auth)
    return Status(204, None)


add_history_route(users, entity="platform.user", resource="users")


# --- business units ------------------------------------------------------------------------
@units.get("", response={200: page_of(BusinessUnitOut), **ERRORS}, operation_id="business_units_list")
def units_list(request: HttpRequest, params: Query[ListParams], parent_id: int | None = None) -> Any:
    qs = acl.visible(request.auth, "platform.business_unit")
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return paginate(qs, params, sorts=("id", "name", "path"), default_sort="path")


@units.get("/{int:pk}", response={200: BusinessUnitOut, **ERRORS}, operation_id="business_units_get")
def units_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, "platform.business_unit", pk)


@units.post("", response={201: BusinessUnitOut, **ERRORS}, operation_id="business_units_create")
def units_create(request: HttpRequest, payload: BusinessUnitIn) -> Any:
    acl.require(request.auth, "platform.business_unit", "create")
    unit = org_services.business_unit_create(
        organization=request.auth.organization,
        name=payload.name,
        parent=_unit(request.auth, payload.parent_id, "parent_id"),
        email=payload.email,
        phone=payload.phone,
        actor=request.auth,
    )
    return Status(201, unit)


@units.patch("/{int:pk}", response={200: BusinessUnitOut, **ERRORS}, operation_id="business_units_update")
def units_update(request: HttpRequest, pk: int, payload: BusinessUnitPatchIn) -> Any:
    unit = acl.get_for_action(request.auth, "platform.business_unit", "edit", pk)
    data = payload.dict(exclude_unset=True)
    return org_services.business_unit_update(
        unit=unit,
        name=data.get("name"),
        parent=_unit(request.auth, data["parent_id"], "parent_id") if "parent_id" in data else ...,
        email=data.get("email"),
        phone=data.get("phone"),
        actor=request.auth,
    )


@units.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="business_units_delete")
def units_delete(request: HttpRequest, pk: int) -> Any:
    unit = acl.get_for_action(request.auth, "platform.business_unit", "delete", pk)
    org_services.business_unit_delete(unit=unit, actor=request.auth)
    return Status(204, None)


add_history_route(units, entity="platform.business_unit", resource="business-units")


# --- roles -----------------------------------------------------------------------------------
def _role_qs() -> Any:
    return Role.objects.prefetch_related("permissions")


@roles.get("", response={200: page_of(RoleOut), **ERRORS}, operation_id="roles_list")
def roles_list(request: HttpRequest, params: Query[ListParams]) -> Any:
    qs = acl.visible(request.auth, "platform.role", _role_qs())
    return paginate(qs, params, sorts=("id", "name", "label"), default_sort="label")


@roles.get("/{int:pk}", response={200: RoleOut, **ERRORS}, operation_id="roles_get")
def roles_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, "platform.role", pk, _role_qs())


@roles.post("", response={201: RoleOut, **ERRORS}, operation_id="roles_create")
def roles_create(request: HttpRequest, payload: RoleIn) -> Any:
    acl.require(request.auth, "platform.role", "create")
    role = role_services.role_create(
        label=payload.label, description=payload.description, grants=payload.grants, actor=request.auth
    )
    return Status(201, _role_qs().get(pk=role.pk))


@roles.patch("/{int:pk}", response={200: RoleOut, **ERRORS}, operation_id="roles_update")
def roles_update(request: HttpRequest, pk: int, payload: RolePatchIn) -> Any:
    role = acl.get_for_action(request.auth, "platform.role", "edit", pk)
    data = payload.dict(exclude_unset=True)
    role_services.role_update(
        role=role,
        label=data.get("label"),
        description=data.get("description"),
        grants=data.get("grants"),
        actor=request.auth,
    )
    return _role_qs().get(pk=role.pk)


@roles.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="roles_delete")
def roles_delete(request: HttpRequest, pk: int) -> Any:
    role = acl.get_for_action(request.auth, "platform.role", "delete", pk)
    role_services.role_delete(role=role, actor=request.auth)
    return Status(204, None)


add_history_route(roles, entity="platform.role", resource="roles")


# --- settings ----------------------------------------------------------------------------------
def _setting_out(key: str) -> dict[str, Any]:
    definition = setting_defs.get(key)
    value = setting_services.setting_get(key)
    return {
        "key": key,
        "section": definition.section,
        "label": definition.label,
        "type": definition.type.value,
        "value": str(value) if definition.type == "decimal" else value,
        "default": str(definition.default) if definition.type == "decimal" else definition.default,
        "help": definition.help,
        "choices": [c for c, _ in definition.choices],
    }


@settings_router.get("", response={200: list[SettingOut], **ERRORS}, operation_id="settings_list")
def settings_list(request: HttpRequest, section: str | None = None) -> Any:
    acl.require(request.auth, "platform.setting", "view")
    keys = [d.key for d in setting_defs if section is None or d.section == section]
    return [_setting_out(key) for key in keys]


class _SettingKey:
    """Setting keys are "<section>.<name>"; paths without a dot under /settings belong to the routers
    that modules mount there (e.g. /settings/account-strategy)."""

    regex = r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(_SettingKey, "setting_key")


@settings_router.get("/{setting_key:key}", response={200: SettingOut, **ERRORS}, operation_id="settings_get")
def settings_get(request: HttpRequest, key: str) -> Any:
    acl.require(request.auth, "platform.setting", "view")
    setting_services.setting_definition(key)
    return _setting_out(key)


@settings_router.patch("", response={200: list[SettingOut], **ERRORS}, operation_id="settings_update")
def settings_update(request: HttpRequest, payload: SettingsPatchIn) -> Any:
    acl.require(request.auth, "platform.setting", "edit")
    setting_services.settings_update(values=payload.values, actor=request.auth)
    return [_setting_out(key) for key in payload.values]


# --- jobs --------------------------------------------------------------------------------------
@jobs.get("", response={200: page_of(JobOut), **ERRORS}, operation_id="jobs_list")
def jobs_list(
    request: HttpRequest, params: Query[ListParams], status: str | None = None, type: str | None = None
) -> Any:
    qs = acl.visible(request.auth, "platform.job")
    if status:
        qs = qs.filter(status=status)
    if type:
        qs = qs.filter(type=type)
    return paginate(qs, params, sorts=("id", "created_at", "status", "type"), default_sort="-created_at")


@jobs.get("/{int:pk}", response={200: JobDetailOut, **ERRORS}, operation_id="jobs_get")
def jobs_get(request: HttpRequest, pk: int) -> Any:
    return acl.get_visible_or_404(request.auth, "platform.job", pk, Job.objects.all())


# --- search ------------------------------------------------------------------------------------
@search_router.get("", response={200: SearchOut, **ERRORS}, operation_id="search")
def search_endpoint(request: HttpRequest, q: str, limit: int = 20, entity: str | None = None) -> Any:
    if not 1 <= limit <= 100:
        raise ValidationFailed({"query.limit": "Between 1 and 100."})
    hits = search(request.auth, q, limit=limit, entity=entity)
    return {"count": len(hits), "items": [h.__dict__ for h in hits]}


# --- activities --------------------------------------------------------------------------------
@activities.get("", response={200: page_of(ActivityOut), **ERRORS}, operation_id="activities_list")
def activities_list(
    request: HttpRequest, target_entity: str, target_id: int, params: Query[ListParams]
) -> Any:
    from accord.platform.registries import entities

    if target_entity not in entities:
        raise ValidationFailed({"query.target_entity": "Unknown entity."})
    acl.get_visible_or_404(request.auth, target_entity, target_id)
    qs = activities_for(request.auth, entity=target_entity, pk=target_id)
    return paginate(qs, params, sorts=("id", "happened_at", "due_at"), default_sort="-happened_at")


@activities.post("", response={201: ActivityOut, **ERRORS}, operation_id="activities_create")
def activities_create(request: HttpRequest, payload: ActivityIn) -> Any:
    activity = activity_services.activity_create(actor=request.auth, **payload.dict())
    return Status(201, activity)


@activities.post(
    "/{int:pk}/complete", response={200: ActivityOut, **ERRORS}, operation_id="activities_complete"
)
def activities_complete(request: HttpRequest, pk: int) -> Any:
    activity = acl.get_visible_or_404(request.auth, "platform.activity", pk, Activity.objects.all())
    return activity_services.activity_complete(actor=request.auth, activity=activity)


@activities.delete("/{int:pk}", response={204: None, **ERRORS}, operation_id="activities_delete")
def activities_delete(request: HttpRequest, pk: int) -> Any:
    activity = acl.get_visible_or_404(request.auth, "platform.activity", pk, Activity.objects.all())
    activity_services.activity_delete(actor=request.auth, activity=activity)
    return Status(204, None)


# --- currency rates --------------------------------------------------------------------------------
@rates.get("", response={200: page_of(CurrencyRateOut), **ERRORS}, operation_id="currency_rates_list")
def rates_list(request: HttpRequest, params: Query[ListParams], currency: str | None = None) -> Any:
    qs = acl.visible(request.auth, "platform.currency_rate", CurrencyRate.objects.all())
    if currency:
        qs = qs.filter(currency=currency.upper())
    return paginate(qs, params, sorts=("id", "currency", "valid_from"), default_sort="currency")


@rates.post("", response={201: CurrencyRateOut, **ERRORS}, operation_id="currency_rates_set")
def rates_set(request: HttpRequest, payload: CurrencyRateIn) -> Any:
    acl.require(request.auth, "platform.currency_rate", "create")
    return Status(201, currency_rate_set(actor=request.auth, **payload.dict()))


# --- imports -------------------------------------------------------------------------------------------
@imports_router.post("", response={201: JobOut, **ERRORS}, operation_id="imports_start")
def imports_start(request: HttpRequest, importer: Form[str], file: File[UploadedFile]) -> Any:
    """Upload a CSV file; answers with the job that imports it (follow it at /jobs/{id})."""
    job = import_start(
        importer_key=importer, content=file.read(), actor=request.auth, filename=file.name or ""
    )
    return Status(201, job)


# --- me ------------------------------------------------------------------------------------------
@me.get("", response={200: UserOut, **ERRORS}, operation_id="me_get")
def me_get(request: HttpRequest) -> Any:
    return User.objects.prefetch_related("roles").get(pk=request.auth.pk)


@me.get("/tokens", response={200: list[TokenOut], **ERRORS}, operation_id="me_tokens_list")
def tokens_list(request: HttpRequest) -> Any:
    return list(request.auth.api_tokens.all())


@me.post("/tokens", response={201: TokenCreatedOut, **ERRORS}, operation_id="me_tokens_create")
def tokens_create(request: HttpRequest, payload: TokenIn) -> Any:
    token, raw = token_services.token_create(user=request.auth, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@me.delete("/tokens/{int:pk}", response={204: None, **ERRORS}, operation_id="me_tokens_revoke")
def tokens_revoke(request: HttpRequest, pk: int) -> Any:
    token_services.token_revoke(user=request.auth, token_id=pk, actor=request.auth)
    return Status(204, None)


def register(api: NinjaAPI) -> None:
    api.add_router("/users", users)
    api.add_router("/business-units", units)
    api.add_router("/roles", roles)
    api.add_router("/settings", settings_router)
    api.add_router("/jobs", jobs)
    api.add_router("/search", search_router)
    api.add_router("/activities", activities)
    api.add_router("/me", me)
    api.add_router("/currency-rates", rates)
    api.add_router("/imports", imports_router)
