"""Console pages for orders: grid, view (lines, payments, refunds), edit (move, status), delete.
Line edits (add, change, remove) are action pages in `actions.py`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from accord.commerce.console.common import form_fields
from accord.commerce.console.documents import money, party_columns, party_rows
from accord.commerce.console.order_forms import OrderCreateForm, field_map, form_lines
from accord.commerce.models import Customer, InternalStatus, Order, PaymentStatus
from accord.commerce.services import order_lines
from accord.commerce.services import orders as services
from accord.commerce.services.payments import order_cancel
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "commerce.order"
LINES = "commerce/console/partials/document_lines.html"
MONEY_ROWS = "commerce/console/partials/money_rows.html"


class OrderForm(forms.Form):
    """Back-office changes of an order: its customer (a move) and its internal status."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.none(), widget=forms.NumberInput, label="Customer (id)"
    )
    internal_status = forms.ChoiceField(choices=InternalStatus.choices, label="Internal status")

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = acl.visible(user, "commerce.customer")


class OrderGrid(Grid):
    entity = ENTITY
    export_name = "orders"
    default_sort = "-created_at"
    search_fields = ("identifier", "po_number", "customer__name")
    columns = (
        Column("identifier", "Order", sort="identifier", link=True),
        *party_columns(),
        Column("po_number", "PO number", sort="po_number"),
        Column("total", "Total", value=lambda o: money(o.total, o.currency), sort="total"),
        Column(
            "internal_status",
            "Status",
            value="get_internal_status_display",
            kind="badge",
            sort="internal_status",
        ),
        Column(
            "payment_status",
            "Payment",
            value="get_payment_status_display",
            kind="badge",
            sort="payment_status",
        ),
        Column("created_at", "Placed", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("internal_status", "Status", kind="choice", choices=tuple(InternalStatus.choices)),
        Filter("payment_status", "Payment", kind="choice", choices=tuple(PaymentStatus.choices)),
        Filter("currency", "Currency"),
        Filter("total", "Total", kind="number_range"),
        Filter("created_at", "Placed", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Order.objects.select_related("customer", "customer_user", "owner")


class OrderResource(ConsoleResource):
    entity = ENTITY
    name = "orders"
    grid = OrderGrid
    form = OrderForm

    def _form(self, request: HttpRequest, obj: Any | None, data: Any = None) -> forms.Form:
        """New orders take their own form (customer, lines); edits the move/status form."""
        if obj is None:
            return OrderCreateForm(data=data, user=request.user)
        return super()._form(request, obj, data)

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Order:
        lines, numbers = form_lines(data)
        with form_fields(field_map(numbers)):
            return services.order_create(
                customer=data["customer"],
                customer_user=data["customer_user"],
                lines=lines,
                currency=data["currency"],
                po_number=data["po_number"],
                discount=data["discount"] or 0,
                entry_point="console",
                actor=request.user,
            )

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Order.objects.select_related(
            "customer", "customer_user", "owner", "source_quote"
        ).prefetch_related("lines", "payments", "refunds")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: Order) -> dict[str, Any]:
        return {"customer": obj.customer_id, "internal_status": obj.internal_status}

    def sections(self, request: HttpRequest, obj: Order) -> list[Section]:
        c = obj.currency
        totals = [
            ("Subtotal", money(obj.subtotal, c)),
            ("Discount", money(obj.discount, c)),
            ("Total", money(obj.total, c)),
            ("Paid", money(obj.paid_amount, c)),
            ("Refunded", money(obj.refunded_amount, c)),
            ("Outstanding", money(obj.outstanding, c)),
        ]
        general = [
            ("Identifier", obj.identifier),
            ("PO number", obj.po_number),
            ("Status", obj.get_internal_status_display()),
            ("Payment status", obj.get_payment_status_display()),
            ("From quote", obj.source_quote or "—"),
            *party_rows(obj),
        ]
        return [Section("Order", general), Section("Totals", totals)]

    def _lines_editable(self, request: HttpRequest, obj: Order) -> bool:
        return obj.internal_status in order_lines.EDITABLE and acl.can(request.user, ENTITY, "edit", obj)

    def panels(self, request: HttpRequest, obj: Order) -> list[Panel]:
        editable = self._lines_editable(request, obj)
        lines = []
        several = len(obj.lines.all()) > 1  # the last line is not removed (cancel the order instead)
        for line in obj.lines.all():
            row = {
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": money(line.unit_price, obj.currency),
                "total": money(line.total, obj.currency),
            }
            if editable:
                args = {"pk": obj.pk, "line": line.pk}
                row["edit_url"] = reverse("console:orders_line_change", kwargs=args)
                row["remove_url"] = reverse("console:orders_line_remove", kwargs=args) if several else ""
            lines.append(row)
        return [
            Panel("Lines", LINES, {"lines": lines, "editable": editable}),
            Panel("Payments", MONEY_ROWS, {"rows": list(obj.payments.all()), "empty": "No payments yet."}),
            Panel("Refunds", MONEY_ROWS, {"rows": list(obj.refunds.all()), "empty": "No refunds."}),
        ]

    def actions(self, request: HttpRequest, obj: Order) -> list[tuple[str, str, str]]:
        if not acl.can(request.user, ENTITY, "edit", obj):
            return []
        found = []
        if obj.internal_status in order_lines.EDITABLE:
            found.append(("Add line", reverse("console:orders_line_add", kwargs={"pk": obj.pk}), ""))
        if obj.internal_status != InternalStatus.CANCELLED and obj.outstanding > 0:
            found.append(
                ("Record payment", reverse("console:orders_payment", kwargs={"pk": obj.pk}), "btn-success")
            )
        if obj.refundable > 0:
            found.append(("Record refund", reverse("console:orders_refund", kwargs={"pk": obj.pk}), ""))
        if obj.internal_status in (InternalStatus.OPEN, InternalStatus.PROCESSING):
            found.append(
                ("Cancel", reverse("console:orders_cancel", kwargs={"pk": obj.pk}), "btn-outline-danger")
            )
        return found

    def update(self, request: HttpRequest, obj: Order, data: dict[str, Any]) -> Order:
        order = services.order_move(order=obj, customer=data["customer"], actor=request.user)
        if (
            data["internal_status"] == InternalStatus.CANCELLED
            and order.internal_status != InternalStatus.CANCELLED
        ):
            return order_cancel(order=order, actor=request.user)
        return services.order_status_set(order=order, status=data["internal_status"], actor=request.user)

    def delete(self, request: HttpRequest, obj: Order) -> None:
        services.order_delete(order=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Order) -> list[str]:
        impact = [f"Its {obj.lines.count()} line(s), payments and refunds are deleted with it."]
        if obj.paid_amount:
            impact.append(
                f"{money(obj.paid_amount, obj.currency)} was paid on it; totals that count it change."
            )
        return impact
