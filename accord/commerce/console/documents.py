"""Console pages for shopping lists, RFQs and quotes (grids and view pages with their lines)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accord.commerce.models import Quote, QuoteStatus, Rfq, RfqStatus, ShoppingList
from accord.commerce.services import shopping_lists as list_services
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

LINES = "commerce/console/partials/document_lines.html"


def money(amount: Any, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def party_columns() -> tuple[Column, ...]:
    return (
        Column("customer", "Customer", value="customer.name", sort="customer__name"),
        Column("customer_user", "Customer user", value="customer_user", sort="customer_user__last_name"),
    )


def party_rows(obj: Any) -> list[tuple[str, Any]]:
    return [
        ("Customer", obj.customer),
        ("Customer user", obj.customer_user or "—"),
        ("Owner", obj.owner or "—"),
        ("Created", obj.created_at),
    ]


def _documents(model: type[Any]) -> QuerySet[Any]:
    return model.objects.select_related("customer", "customer_user", "owner")


class ShoppingListGrid(Grid):
    entity = "commerce.shopping_list"
    export_name = "shopping-lists"
    default_sort = "-created_at"
    search_fields = ("name", "customer__name")
    columns = (
        Column("name", "Name", sort="name", link=True),
        *party_columns(),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
        Column("updated_at", "Updated", kind="datetime", sort="updated_at"),
    )
    filters = (Filter("created_at", "Created", kind="date_range"),)

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(ShoppingList)


class ShoppingListResource(ConsoleResource):
    entity = "commerce.shopping_list"
    name = "shopping_lists"
    grid = ShoppingListGrid

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(ShoppingList)

    def sections(self, request: HttpRequest, obj: ShoppingList) -> list[Section]:
        return [Section("Shopping list", [("Name", obj.name), *party_rows(obj)])]

    def panels(self, request: HttpRequest, obj: ShoppingList) -> list[Panel]:
        lines = [
            {
                "sku": line.product.sku,
                "name": line.product.name,
                "quantity": line.quantity,
                "unit_price": money(line.product.unit_price, line.product.currency),
                "total": None,
            }
            for line in obj.lines.select_related("product").order_by("id")
        ]
        return [Panel("Lines", LINES, {"lines": lines})]

    def delete(self, request: HttpRequest, obj: ShoppingList) -> None:
        list_services.shopping_list_delete(shopping_list=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: ShoppingList) -> list[str]:
        return [f"Its {obj.lines.count()} line(s) go with it; RFQs submitted from it stay."]


def _lines_of(obj: Any, currency_of: Any, price: str) -> list[dict[str, Any]]:
    rows = []
    for line in obj.lines.all():
        unit = getattr(line, price)
        currency = currency_of(line)
        rows.append(
            {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": money(unit, currency) if unit is not None else "—",
                "total": money(line.total, currency) if hasattr(line, "total") and unit is not None else None,
            }
        )
    return rows


class RfqGrid(Grid):
    entity = "commerce.rfq"
    export_name = "rfqs"
    default_sort = "-created_at"
    search_fields = ("po_number", "customer__name")
    columns = (
        Column("id", "RFQ", value=lambda r: f"RFQ #{r.pk}", sort="id", link=True),
        *party_columns(),
        Column("po_number", "PO number", sort="po_number"),
        Column("status", "Status", value="get_status_display", kind="badge", sort="status"),
        Column("created_at", "Submitted", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(RfqStatus.choices)),
        Filter("created_at", "Submitted", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(Rfq)


class RfqResource(ConsoleResource):
    entity = "commerce.rfq"
    name = "rfqs"
    grid = RfqGrid
    can_delete = False

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(Rfq).prefetch_related("lines")

    def sections(self, request: HttpRequest, obj: Rfq) -> list[Section]:
        rows = [("Status", obj.get_status_display()), ("PO number", obj.po_number), ("Note", obj.note)]
        return [Section("Request for quote", rows), Section("Parties", party_rows(obj))]

    def panels(self, request: HttpRequest, obj: Rfq) -> list[Panel]:
        quotes = acl.visible(request.user, "commerce.quote", Quote.objects.filter(rfq=obj)).order_by("-pk")[
            :20
        ]
        return [
            Panel(
                "Lines (target prices)",
                LINES,
                {"lines": _lines_of(obj, lambda line: line.currency, "target_price")},
            ),
            Panel("Quotes", "commerce/console/partials/quotes.html", {"quotes": list(quotes)}),
        ]

    def actions(self, request: HttpRequest, obj: Rfq) -> list[tuple[str, str, str]]:
        if obj.status != RfqStatus.CANCELLED and acl.can(request.user, "commerce.quote", "create"):
            return [("Create quote", reverse("console:rfqs_quote", kwargs={"pk": obj.pk}), "btn-primary")]
        return []


class QuoteGrid(Grid):
    entity = "commerce.quote"
    export_name = "quotes"
    default_sort = "-created_at"
    search_fields = ("po_number", "customer__name")
    columns = (
        Column("id", "Quote", value=lambda q: f"Quote #{q.pk}", sort="id", link=True),
        *party_columns(),
        Column("subtotal", "Subtotal", value=lambda q: money(q.subtotal, q.currency), sort="subtotal"),
        Column(
            "status",
            "Status",
            value=lambda q: q.get_status_display() if not q.is_expired else "Expired",
            kind="badge",
            sort="status",
        ),
        Column("valid_until", "Valid until", kind="date", sort="valid_until"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(QuoteStatus.choices)),
        Filter("created_at", "Created", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(Quote)


class QuoteResource(ConsoleResource):
    entity = "commerce.quote"
    name = "quotes"
    grid = QuoteGrid
    can_delete = False

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return _documents(Quote).select_related("rfq", "created_by").prefetch_related("lines")

    def sections(self, request: HttpRequest, obj: Quote) -> list[Section]:
        status = QuoteStatus(obj.effective_status).label
        rows = [
            ("Status", status),
            ("Subtotal", money(obj.subtotal, obj.currency)),
            ("Valid until", obj.valid_until or "—"),
            ("RFQ", obj.rfq or "—"),
            ("PO number", obj.po_number),
            ("Created by", obj.created_by or "—"),
            ("Accepted", obj.accepted_at or "—"),
        ]
        return [Section("Quote", rows), Section("Parties", party_rows(obj))]

    def panels(self, request: HttpRequest, obj: Quote) -> list[Panel]:
        return [Panel("Lines", LINES, {"lines": _lines_of(obj, lambda line: obj.currency, "unit_price")})]

    def actions(self, request: HttpRequest, obj: Quote) -> list[tuple[str, str, str]]:
        found = []
        if obj.status == QuoteStatus.DRAFT and acl.can(request.user, "commerce.quote", "edit", obj):
            found.append(
                ("Send to the buyer", reverse("console:quotes_send", kwargs={"pk": obj.pk}), "btn-primary")
            )
        if obj.status != QuoteStatus.ACCEPTED and acl.can(request.user, "commerce.quote", "delete", obj):
            found.append(
                ("Delete", reverse("console:quotes_delete", kwargs={"pk": obj.pk}), "btn-outline-danger")
            )
        return found


def quote_delete_impact(quote: Quote) -> list[str]:
    """What deleting a quote takes with it, for its confirmation page (decision 0036)."""
    impact = [f"Its {quote.lines.count()} line(s) are deleted with it."]
    if quote.status != QuoteStatus.DRAFT:
        impact.append(
            f"It was offered to {quote.customer_user or quote.customer}; the buyer no longer sees it."
        )
    rfq = quote.rfq
    if rfq is not None:
        alone = not Quote.objects.filter(rfq=rfq).exclude(pk=quote.pk).exists()
        again = rfq.status == RfqStatus.QUOTED and alone
        impact.append(f"{rfq} stays" + ("; with no other quote it is “submitted” again." if again else "."))
    return impact
