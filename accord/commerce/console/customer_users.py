"""Console pages for customer users."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from accord.commerce.console.common import checked_owner, form_fields
from accord.commerce.console.forms import CustomerUserForm
from accord.commerce.models import CustomerUser, EntryPoint
from accord.commerce.services import customer_users as services
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "commerce.customer_user"
ROLE_FIELDS = {"role_ids": "roles"}


class CustomerUserGrid(Grid):
    entity = ENTITY
    export_name = "customer-users"
    default_sort = "last_name"
    search_fields = ("email_lower", "first_name", "last_name")
    columns = (
        Column("name", "Name", value="full_name", sort="last_name", link=True),
        Column("email", "Email", sort="email_lower"),
        Column("customer", "Customer", value="customer.name", sort="customer__name"),
        Column("roles", "Roles", value="roles"),
        Column("enabled", "Enabled", kind="bool", sort="enabled"),
        Column("confirmed", "Confirmed", kind="bool", sort="confirmed"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("customer", "Customer", lookup="customer__name"),
        Filter("enabled", "Enabled", kind="boolean"),
        Filter("confirmed", "Confirmed", kind="boolean"),
        Filter("is_guest", "Guest", kind="boolean"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return CustomerUser.objects.select_related("customer").prefetch_related("roles")


class CustomerUserResource(ConsoleResource):
    entity = ENTITY
    name = "customer_users"
    grid = CustomerUserGrid
    form = CustomerUserForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return CustomerUser.objects.select_related("customer", "owner").prefetch_related("roles", "addresses")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: CustomerUser) -> dict[str, Any]:
        names = ("email", "name_prefix", "first_name", "middle_name", "last_name", "name_suffix", "birthday")
        return {
            **{name: getattr(obj, name) for name in names},
            "customer": obj.customer_id,
            "roles": list(obj.roles.all()),
            "enabled": obj.enabled,
            "confirmed": obj.confirmed,
            "is_guest": obj.is_guest,
            "owner": obj.owner_id,
        }

    def sections(self, request: HttpRequest, obj: CustomerUser) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Name", obj.full_name),
                    ("Email", obj.email),
                    ("Birthday", obj.birthday),
                    ("Customer", obj.customer),
                    ("Roles", ", ".join(r.label for r in obj.roles.all()) or "—"),
                ],
            ),
            Section(
                "Status",
                [
                    ("Enabled", obj.enabled),
                    ("Confirmed", obj.confirmed),
                    ("Guest", obj.is_guest),
                    ("Can log in", obj.enabled and obj.password[:1] not in ("", "!")),
                    ("Last login", obj.last_login),
                    ("Owner", obj.owner),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: CustomerUser) -> list[Panel]:
        return [
            Panel("Addresses", "commerce/console/partials/addresses.html", {"addresses": obj.addresses.all()})
        ]

    def _fields(self, request: HttpRequest, obj: CustomerUser | None, data: dict[str, Any]) -> dict[str, Any]:
        names = ("email", "name_prefix", "first_name", "middle_name", "last_name", "name_suffix", "birthday")
        return {
            **{name: data[name] for name in names},
            "customer": data["customer"],
            "roles": list(data["roles"]),
            "enabled": data["enabled"],
            "confirmed": data["confirmed"],
            "is_guest": data["is_guest"],
            "owner": checked_owner(request, ENTITY, obj, data.get("owner")),
            "password": data["password"] or None,
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> CustomerUser:
        with form_fields(ROLE_FIELDS):
            return services.customer_user_create(
                **self._fields(request, None, data), entry_point=EntryPoint.CONSOLE, actor=request.user
            )

    def update(self, request: HttpRequest, obj: CustomerUser, data: dict[str, Any]) -> CustomerUser:
        with form_fields(ROLE_FIELDS):
            return services.customer_user_update(
                customer_user=obj, **self._fields(request, obj, data), actor=request.user
            )

    def delete(self, request: HttpRequest, obj: CustomerUser) -> None:
        services.customer_user_delete(customer_user=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: CustomerUser) -> list[str]:
        return ["The customer user can no longer log in to the storefront; its addresses are deleted."]
