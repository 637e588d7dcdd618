"""Console pages for customers: grid, view (hierarchy tree, users, addresses), form, delete; other
modules add form fields and view panels through `accord.commerce.registries.customer_extensions`."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from accord.commerce.console.common import checked_owner
from accord.commerce.console.forms import CustomerForm
from accord.commerce.models import Customer, CustomerGroup, CustomerUser, EntryPoint, InternalRating
from accord.commerce.registries import FORM_VALUES, customer_write_extended, panels_render
from accord.commerce.selectors.customers import customer_tree, subtree_counts
from accord.commerce.services import customers as services
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "commerce.customer"
USERS_SHOWN = 50


def _group_choices(request: HttpRequest) -> list[tuple[str, str]]:
    groups = acl.visible(request.user, "commerce.customer_group", CustomerGroup.objects.all())
    return [("__none__", "No group"), *((str(g.pk), g.name) for g in groups.order_by("name")[:200])]


class CustomerGrid(Grid):
    entity = ENTITY
    export_name = "customers"
    default_sort = "name"
    search_fields = ("name", "external_id")
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column("parent", "Parent", value="parent.name", sort="parent__name"),
        Column("root", "Root", value="root.name", sort="root__name"),
        Column("depth", "Level", kind="number", sort="depth"),
        Column("group", "Group", value="group.name", sort="group__name"),
        Column("internal_rating", "Rating", value="get_internal_rating_display", sort="internal_rating"),
        Column("payment_term", "Payment term", value="get_payment_term_display", sort="payment_term"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("group", "Group", kind="choice", lookup="group_id", choices=_group_choices),
        Filter("internal_rating", "Rating", kind="choice", choices=tuple(InternalRating.choices)),
        Filter("created_at", "Created", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Customer.objects.select_related("parent", "root", "group", "owner")


class CustomerResource(ConsoleResource):
    entity = ENTITY
    name = "customers"
    grid = CustomerGrid
    form = CustomerForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Customer.objects.select_related(
            "parent", "root", "group", "owner", "business_unit"
        ).prefetch_related("sales_representatives", "addresses")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user, "customer": obj}

    def initial(self, request: HttpRequest, obj: Customer) -> dict[str, Any]:
        return {
            "name": obj.name,
            "parent": obj.parent_id,
            "group": obj.group_id,
            "owner": obj.owner_id,
            "sales_representatives": list(obj.sales_representatives.all()),
            "internal_rating": obj.internal_rating,
            "payment_term": obj.payment_term,
            "tax_code": obj.tax_code,
            "external_id": obj.external_id or "",
        }

    def sections(self, request: HttpRequest, obj: Customer) -> list[Section]:
        reps = ", ".join(str(u) for u in obj.sales_representatives.all()) or "—"
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Parent", obj.parent or "—"),
                    ("Root", obj.root if obj.root_id != obj.pk else "— (this is a root)"),
                    ("Group", obj.group or "—"),
                    ("External id", obj.external_id),
                ],
            ),
            Section(
                "Commercial",
                [
                    ("Internal rating", obj.get_internal_rating_display()),
                    ("Payment term", obj.get_payment_term_display()),
                    ("Tax code", obj.tax_code),
                    ("Owner", obj.owner),
                    ("Business unit", obj.business_unit),
                    ("Sales representatives", reps),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: Customer) -> list[Panel]:
        user = request.user
        tree = customer_tree(obj, visible=acl.visible(user, ENTITY))
        users_qs = acl.visible(user, "commerce.customer_user", CustomerUser.objects.filter(customer=obj))
        users = list(
            users_qs.prefetch_related("roles").order_by("last_name", "first_name", "pk")[:USERS_SHOWN]
        )
        panels = [
            Panel(
                "Hierarchy",
                "commerce/console/partials/customer_tree.html",
                {"tree": tree, "counts": subtree_counts(obj), "current": obj},
            ),
            Panel(
                "Customer users",
                "commerce/console/partials/customer_users.html",
                {"users": users, "more": len(users) == USERS_SHOWN, "customer": obj},
            ),
            Panel(
                "Addresses", "commerce/console/partials/addresses.html", {"addresses": obj.addresses.all()}
            ),
        ]
        panels += [
            Panel(title, "commerce/console/partials/extension_panel.html", {"html": html})
            for title, html in panels_render(obj, request)
        ]
        return panels

    def _fields(self, request: HttpRequest, obj: Customer | None, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": data["name"],
            "parent": data["parent"],
            "group": data["group"],
            "owner": checked_owner(request, ENTITY, obj, data.get("owner")),
            "sales_representatives": list(data["sales_representatives"]),
            "internal_rating": data["internal_rating"],
            "payment_term": data["payment_term"],
            "tax_code": data["tax_code"],
            "external_id": data["external_id"] or None,
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Customer:
        create = partial(
            services.customer_create,
            **self._fields(request, None, data),
            entry_point=EntryPoint.CONSOLE,
            actor=request.user,
        )
        return customer_write_extended(create, values=data[FORM_VALUES], actor=request.user, created=True)

    def update(self, request: HttpRequest, obj: Customer, data: dict[str, Any]) -> Customer:
        update = partial(
            services.customer_update, customer=obj, **self._fields(request, obj, data), actor=request.user
        )
        return customer_write_extended(update, values=data[FORM_VALUES], actor=request.user, created=False)

    def delete(self, request: HttpRequest, obj: Customer) -> None:
        services.customer_delete(customer=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Customer) -> list[str]:
        children = obj.children.count()
        users = obj.users.count()
        impact = [f"Its {children} child customer(s) become root customers, each with its own subtree."]
        if users:
            impact.append(f"{users} customer user(s) belong to it: move or delete them first.")
        impact.append("Its addresses and its own customer user roles are deleted with it.")
        return impact
