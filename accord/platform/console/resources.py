"""Console pages for users, business units and roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.forms import BusinessUnitForm, RoleForm, UserForm
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.models import AccessLevel, BusinessUnit, Role, User
from accord.platform.registries import entities
from accord.platform.services import organization as org_services
from accord.platform.services import roles as role_services
from accord.platform.services import users as user_services


def _unit_choices(request: HttpRequest) -> list[tuple[str, str]]:
    units = BusinessUnit.objects.filter(organization_id=request.user.organization_id)
    return [(str(u.pk), u.name) for u in units]


class UserGrid(Grid):
    entity = "platform.user"
    export_name = "users"
    default_sort = "username"
    search_fields = ("username", "email", "first_name", "last_name")
    columns = (
        Column("username", "Username", sort="username", link=True),
        Column("name", "Name", value=lambda u: u.get_full_name(), sort="last_name"),
        Column("email", "Email", sort="email"),
        Column("business_unit", "Business unit", value="business_unit.name", sort="business_unit__name"),
        Column("roles", "Roles", value="roles"),
        Column("is_active", "Enabled", kind="bool", sort="is_active"),
        Column("last_login", "Last login", kind="datetime", sort="last_login"),
    )
    filters = (
        Filter(
            "business_unit", "Business unit", kind="choice", lookup="business_unit_id", choices=_unit_choices
        ),
        Filter("is_active", "Enabled", kind="boolean"),
        Filter("last_login", "Last login", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return User.objects.select_related("business_unit").prefetch_related("roles")


class UserResource(ConsoleResource):
    entity = "platform.user"
    name = "users"
    grid = UserGrid
    form = UserForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return User.objects.select_related("business_unit", "organization").prefetch_related("roles")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"organization_id": request.user.organization_id, "editing": obj is not None}

    def initial(self, request: HttpRequest, obj: User) -> dict[str, Any]:
        return {
            "username": obj.username,
            "email": obj.email,
            "first_name": obj.first_name,
            "last_name": obj.last_name,
            "title": obj.title,
            "phone": obj.phone,
            "business_unit": obj.business_unit_id,
            "roles": list(obj.roles.all()),
            "is_active": obj.is_active,
        }

    def sections(self, request: HttpRequest, obj: User) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Username", obj.username),
                    ("Name", obj.get_full_name()),
                    ("Email", obj.email),
                    ("Title", obj.title),
                    ("Phone", obj.phone),
                    ("Enabled", obj.is_active),
                ],
            ),
            Section(
                "Access",
                [
                    ("Organization", obj.organization),
                    ("Business unit", obj.business_unit),
                    ("Roles", ", ".join(r.label for r in obj.roles.all()) or "—"),
                    ("Last login", obj.last_login),
                ],
            ),
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> User:
        return user_services.user_create(
            username=data["username"],
            password=data["password"],
            business_unit=data["business_unit"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            roles=list(data["roles"]),
            is_active=data["is_active"],
            actor=request.user,
        )

    def update(self, request: HttpRequest, obj: User, data: dict[str, Any]) -> User:
        user = user_services.user_update(
            user=obj,
            actor=request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            title=data["title"],
            phone=data["phone"],
            business_unit=data["business_unit"],
            roles=list(data["roles"]),
            is_active=data["is_active"],
        )
        if data.get("password"):
            user_services.user_set_password(user=user, password=data["password"], actor=request.user)
        return user

    def delete(self, request: HttpRequest, obj: User) -> None:
        user_services.user_delete(user=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: User) -> list[str]:
        return [
            "The user can no longer log in; their API tokens stop working.",
            "Records the user owns block the deletion: disable the user instead to keep them.",
        ]


class BusinessUnitGrid(Grid):
    entity = "platform.business_unit"
    export_name = "business-units"
    default_sort = "path"
    search_fields = ("name", "email")
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column("parent", "Parent", value="parent.name", sort="parent__name"),
        Column("users", "Users", value="user_count", kind="number", sort="user_count"),
        Column("email", "Email", sort="email"),
        Column("phone", "Phone"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return BusinessUnit.objects.select_related("parent").annotate(user_count=Count("users"))


class BusinessUnitResource(ConsoleResource):
    entity = "platform.business_unit"
    name = "business_units"
    grid = BusinessUnitGrid
    form = BusinessUnitForm

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"organization_id": request.user.organization_id}

    def initial(self, request: HttpRequest, obj: BusinessUnit) -> dict[str, Any]:
        return {"name": obj.name, "parent": obj.parent_id, "email": obj.email, "phone": obj.phone}

    def sections(self, request: HttpRequest, obj: BusinessUnit) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Parent", obj.parent or "—"),
                    ("Email", obj.email),
                    ("Phone", obj.phone),
                ],
            )
        ]

    def panels(self, request: HttpRequest, obj: BusinessUnit) -> list[Panel]:
        tree = list(
            BusinessUnit.objects.filter(path__startswith=obj.path).annotate(user_count=Count("users"))
        )
        return [Panel("Division", "platform/console/partials/unit_tree.html", {"units": tree, "root": obj})]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> BusinessUnit:
        return org_services.business_unit_create(
            organization=request.user.organization,
            name=data["name"],
            parent=data["parent"],
            email=data["email"],
            phone=data["phone"],
            actor=request.user,
        )

    def update(self, request: HttpRequest, obj: BusinessUnit, data: dict[str, Any]) -> BusinessUnit:
        return org_services.business_unit_update(
            unit=obj,
            name=data["name"],
            parent=data["parent"],
            email=data["email"],
            phone=data["phone"],
            actor=request.user,
        )

    def delete(self, request: HttpRequest, obj: BusinessUnit) -> None:
        org_services.business_unit_delete(unit=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: BusinessUnit) -> list[str]:
        return [
            f"{obj.children.count()} child unit(s) and {obj.users.count()} user(s) must be moved first.",
            "Records owned by this unit block the deletion.",
        ]


class RoleGrid(Grid):
    entity = "platform.role"
    export_name = "roles"
    default_sort = "label"
    search_fields = ("label", "name", "description")
    columns = (
        Column("label", "Role", sort="label", link=True),
        Column("name", "Name", sort="name"),
        Column("users", "Users", value="user_count", kind="number", sort="user_count"),
        Column("is_administrator", "Administrator", kind="bool"),
        Column("is_predefined", "Predefined", kind="bool"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Role.objects.annotate(user_count=Count("users"))


def role_matrix() -> list[tuple[str, str, tuple[str, ...]]]:
    return [(e.key, e.label_plural, e.actions) for e in sorted(entities, key=lambda e: (e.module, e.label))]


class RoleResource(ConsoleResource):
    entity = "platform.role"
    name = "roles"
    grid = RoleGrid
    form = RoleForm
    form_template = "platform/console/role_form.html"

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Role.objects.prefetch_related("permissions")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"matrix": role_matrix()}

    def initial(self, request: HttpRequest, obj: Role) -> dict[str, Any]:
        initial: dict[str, Any] = {"label": obj.label, "description": obj.description}
        for perm in obj.permissions.all():
            initial[f"grant__{perm.entity}__{perm.action}"] = perm.level
        return initial

    def sections(self, request: HttpRequest, obj: Role) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Label", obj.label),
                    ("Name", obj.name),
                    ("Description", obj.description),
                    ("Administrator", obj.is_administrator),
                    ("Predefined", obj.is_predefined),
                ],
            )
        ]

    def panels(self, request: HttpRequest, obj: Role) -> list[Panel]:
        grants = role_services.role_grants_of(obj)
        rows = []
        for key, label, actions in role_matrix():
            levels = grants.get(key, {})
            rows.append((label, [(a, AccessLevel(levels.get(a, 0)).label) for a in actions]))
        return [
            Panel(
                "Permissions",
                "platform/console/partials/role_matrix.html",
                {"rows": rows, "admin": obj.is_administrator},
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Role:
        form = RoleForm(data=None, matrix=role_matrix())
        form.cleaned_data = data
        return role_services.role_create(
            label=data["label"], description=data["description"], grants=form.grants(), actor=request.user
        )

    def update(self, request: HttpRequest, obj: Role, data: dict[str, Any]) -> Role:
        form = RoleForm(data=None, matrix=role_matrix())
        form.cleaned_data = data
        return role_services.role_update(
            role=obj,
            label=data["label"],
            description=data["description"],
            grants=form.grants(),
            actor=request.user,
        )

    def delete(self, request: HttpRequest, obj: Role) -> None:
        role_services.role_delete(role=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Role) -> list[str]:
        return [f"{obj.users.count()} user(s) have this role; it must be taken from them first."]


RESOURCES = [UserResource(), BusinessUnitResource(), RoleResource()]
