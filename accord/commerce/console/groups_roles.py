"""Console pages for customer groups and customer user roles."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import HttpRequest

from accord.commerce import storefront_acl
from accord.commerce.console.common import checked_owner
from accord.commerce.console.forms import CustomerGroupForm, CustomerUserRoleForm, grant_field_name
from accord.commerce.models import CustomerGroup, CustomerUserRole, PaymentTerm, StorefrontLevel
from accord.commerce.selectors.customers import roles_in_organization
from accord.commerce.services import groups as group_services
from accord.commerce.services import roles as role_services
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid


class CustomerGroupGrid(Grid):
    entity = "commerce.customer_group"
    export_name = "customer-groups"
    default_sort = "name"
    search_fields = ("name", "tax_code")
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column("payment_term", "Payment term", value="get_payment_term_display", sort="payment_term"),
        Column("tax_code", "Tax code", sort="tax_code"),
        Column("customers", "Customers", value="customer_count", kind="number", sort="customer_count"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
    )
    filters = (Filter("payment_term", "Payment term", kind="choice", choices=tuple(PaymentTerm.choices)),)

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return CustomerGroup.objects.select_related("owner").annotate(customer_count=Count("customers"))


class CustomerGroupResource(ConsoleResource):
    entity = "commerce.customer_group"
    name = "customer_groups"
    grid = CustomerGroupGrid
    form = CustomerGroupForm

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: CustomerGroup) -> dict[str, Any]:
        return {
            "name": obj.name,
            "payment_term": obj.payment_term,
            "tax_code": obj.tax_code,
            "owner": obj.owner_id,
        }

    def sections(self, request: HttpRequest, obj: CustomerGroup) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Payment term", obj.get_payment_term_display()),
                    ("Tax code", obj.tax_code),
                    ("Customers", obj.customers.count()),
                    ("Owner", obj.owner),
                ],
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> CustomerGroup:
        return group_services.customer_group_create(
            name=data["name"],
            payment_term=data["payment_term"],
            tax_code=data["tax_code"],
            owner=checked_owner(request, self.entity, None, data.get("owner")),
            actor=request.user,
        )

    def update(self, request: HttpRequest, obj: CustomerGroup, data: dict[str, Any]) -> CustomerGroup:
        return group_services.customer_group_update(
            group=obj,
            name=data["name"],
            payment_term=data["payment_term"],
            tax_code=data["tax_code"],
            owner=checked_owner(request, self.entity, obj, data.get("owner")),
            actor=request.user,
        )

    def delete(self, request: HttpRequest, obj: CustomerGroup) -> None:
        group_services.customer_group_delete(group=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: CustomerGroup) -> list[str]:
        return [f"Its {obj.customers.count()} customer(s) stay, without a group."]


class CustomerUserRoleGrid(Grid):
    entity = "commerce.customer_user_role"
    export_name = "customer-user-roles"
    default_sort = "label"
    search_fields = ("label", "role")
    columns = (
        Column("label", "Label", sort="label", link=True),
        Column("role", "Code", sort="role"),
        Column("customer", "Customer", value="customer.name", sort="customer__name"),
        Column("users", "Users", value="user_count", kind="number", sort="user_count"),
        Column("self_managed", "Self-managed", kind="bool", sort="self_managed"),
        Column("public", "Public", kind="bool", sort="public"),
        Column("is_predefined", "Predefined", kind="bool", sort="is_predefined"),
    )
    filters = (
        Filter("public", "Public", kind="boolean"),
        Filter("self_managed", "Self-managed", kind="boolean"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = roles_in_organization(request.user.organization_id)
        return qs.select_related("customer").annotate(user_count=Count("users"))


class CustomerUserRoleResource(ConsoleResource):
    entity = "commerce.customer_user_role"
    name = "customer_user_roles"
    grid = CustomerUserRoleGrid
    form = CustomerUserRoleForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = roles_in_organization(request.user.organization_id)
        return qs.select_related("customer").prefetch_related("grants")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user, "editing": obj is not None}

    def initial(self, request: HttpRequest, obj: CustomerUserRole) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "label": obj.label,
            "customer": obj.customer_id,
            "self_managed": obj.self_managed,
            "public": obj.public,
        }
        for entity, actions in role_services.grants_of(obj).items():
            for action, level in actions.items():
                initial[grant_field_name(entity, action)] = str(level)
        return initial

    def sections(self, request: HttpRequest, obj: CustomerUserRole) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Label", obj.label),
                    ("Code", obj.role),
                    ("Customer", obj.customer or "— (shared by all customers)"),
                    ("Self-managed", obj.self_managed),
                    ("Public", obj.public),
                    ("Predefined", obj.is_predefined),
                ],
            )
        ]

    def panels(self, request: HttpRequest, obj: CustomerUserRole) -> list[Panel]:
        grants = role_services.grants_of(obj)
        rows = [
            (
                d.label,
                [(a, StorefrontLevel(grants.get(d.key, {}).get(a, 0)).label) for a in storefront_acl.ACTIONS],
            )
            for d in storefront_acl.ENTITIES.values()
        ]
        return [Panel("Storefront permissions", "platform/console/partials/role_matrix.html", {"rows": rows})]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> CustomerUserRole:
        form = CustomerUserRoleForm(data=None, user=request.user)
        form.cleaned_data = data
        return role_services.customer_user_role_create(
            label=data["label"],
            customer=data["customer"],
            self_managed=data["self_managed"],
            public=data["public"],
            grants=form.grants(),
            actor=request.user,
        )

    def update(self, request: HttpRequest, obj: CustomerUserRole, data: dict[str, Any]) -> CustomerUserRole:
        form = CustomerUserRoleForm(data=None, user=request.user)
        form.cleaned_data = data
        return role_services.customer_user_role_update(
            role=obj,
            label=data["label"],
            self_managed=data["self_managed"],
            public=data["public"],
            grants=form.grants(),
            actor=request.user,
        )

    def delete(self, request: HttpRequest, obj: CustomerUserRole) -> None:
        role_services.customer_user_role_delete(role=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: CustomerUserRole) -> list[str]:
        return [f"{obj.users.count()} customer user(s) have this role; each must keep at least one role."]
