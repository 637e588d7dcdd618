"""Console action pages on documents: record a payment or refund, cancel an order, add, change and
remove order lines, turn an RFQ into a quote, send or delete a quote. Each parses a form, checks
the ACL, calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from accord.commerce.console.order_forms import OrderLineAddForm, OrderLineChangeForm
from accord.commerce.models import Order, OrderLine, Quote, QuoteStatus, Rfq
from accord.commerce.services import order_lines, payments, quotes
from accord.platform import acl
from accord.platform.console.pages import apply_errors, console_view
from accord.platform.errors import Conflict, DomainError, NotFound
from accord.platform.registries import entities


class AmountForm(forms.Form):
    amount = forms.DecimalField(
        max_digits=18, decimal_places=2, min_value=0, help_text="In the order's currency."
    )
    at = forms.DateTimeField(required=False, label="When", help_text="Empty: now.")


class QuoteForm(forms.Form):
    currency = forms.CharField(required=False, max_length=3, help_text="Empty: the products' currency.")
    valid_until = forms.DateField(required=False, label="Valid until")
    send = forms.BooleanField(required=False, initial=True, label="Send to the buyer now")

    def __init__(self, *args: Any, rfq: Rfq, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for line in rfq.lines.all():
            self.fields[f"price_{line.pk}"] = forms.DecimalField(
                required=False,
                max_digits=18,
                decimal_places=4,
                label=f"Unit price of {line.sku} × {line.quantity.normalize():f}",
                help_text=f"Empty: {line.target_price} {line.currency}"
                if line.target_price is not None
                else "",
            )


def _page(
    request: HttpRequest,
    *,
    entity: str,
    obj: Any,
    title: str,
    button: str,
    form: forms.Form | None,
    act: Callable[[dict[str, Any]], Any],
    done: str,
    field_map: dict[str, str] | None = None,
    next_url: Callable[[Any], str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """Show the form; on a valid POST call the service and go back to the record (or `next_url`)."""
    definition = entities.get(entity)
    back = definition.view_url(obj.pk) or "/"
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            result = act(form.cleaned_data if form is not None else {})
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect(back)
            apply_errors(form, exc, field_map)
        else:
            messages.success(request, done)
            return redirect(next_url(result) if next_url else back)
    context = {
        "entity": definition,
        "obj": obj,
        "title": title,
        "button": button,
        "form": form,
        "back_url": back,
        "list_url": reverse(str(definition.view_url_name).replace("_view", "_list")),
        **extra,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "commerce/console/action.html", context, status=status)


@console_view("commerce.order", "edit")
def order_payment(request: HttpRequest, pk: int) -> HttpResponse:
    order: Order = acl.get_for_action(request.user, "commerce.order", "edit", pk)
    form = AmountForm(request.POST or None, initial={"amount": order.outstanding})
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Record a payment on {order.identifier}",
        button="Record payment",
        form=form,
        act=lambda d: payments.order_payment_record(
            order=order, amount=d["amount"], paid_at=d["at"], actor=request.user
        ),
        done="The payment was recorded.",
        explanation=f"Outstanding: {order.outstanding} {order.currency}.",
    )


@console_view("commerce.order", "edit")
def order_refund(request: HttpRequest, pk: int) -> HttpResponse:
    order: Order = acl.get_for_action(request.user, "commerce.order", "edit", pk)
    form = AmountForm(request.POST or None, initial={"amount": order.refundable})
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Record a refund on {order.identifier}",
        button="Record refund",
        form=form,
        act=lambda d: payments.order_refund_record(
            order=order, amount=d["amount"], refunded_at=d["at"], actor=request.user
        ),
        done="The refund was recorded.",
        explanation=f"Paid and not refunded: {order.refundable} {order.currency}.",
    )


@console_view("commerce.order", "edit")
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order: Order = acl.get_for_action(request.user, "commerce.order", "edit", pk)
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Cancel {order.identifier}",
        button="Cancel the order",
        button_class="btn-danger",
        form=None,
        act=lambda d: payments.order_cancel(order=order, actor=request.user),
        done="The order was cancelled.",
        explanation="Money already paid stays recorded; record a refund to give it back.",
    )


@console_view("commerce.quote", "create")
def rfq_quote(request: HttpRequest, pk: int) -> HttpResponse:
    rfq: Rfq = acl.get_visible_or_404(request.user, "commerce.rfq", pk, Rfq.objects.prefetch_related("lines"))
    form = QuoteForm(request.POST or None, rfq=rfq, initial={"send": True})
    mapping = {f"prices.{line.pk}": f"price_{line.pk}" for line in rfq.lines.all()}

    def act(data: dict[str, Any]) -> Quote:
        prices = {int(k[6:]): v for k, v in data.items() if k.startswith("price_") and v is not None}
        return quotes.quote_create_from_rfq(
            rfq=rfq,
            prices=prices,
            currency=data["currency"] or None,
            valid_until=data["valid_until"],
            send=data["send"],
            actor=request.user,
        )

    return _page(
        request,
        entity="commerce.rfq",
        obj=rfq,
        title=f"Create a quote for {rfq}",
        button="Create quote",
        form=form,
        act=act,
        done="The quote was created.",
        field_map=mapping,
        next_url=lambda quote: reverse("console:quotes_view", kwargs={"pk": quote.pk}),
    )


@console_view("commerce.quote", "edit")
def quote_send(request: HttpRequest, pk: int) -> HttpResponse:
    quote: Quote = acl.get_for_action(request.user, "commerce.quote", "edit", pk)
    return _page(
        request,
        entity="commerce.quote",
        obj=quote,
        title=f"Send {quote}",
        button="Send to the buyer",
        form=None,
        act=lambda d: quotes.quote_send(quote=quote, actor=request.user),
        done="The quote was sent.",
        explanation=f"The buyer can accept it until {quote.valid_until or 'it is accepted'}.",
    )


def _editable_order(request: HttpRequest, pk: int) -> Order:
    """The order whose lines may change: 404/403 by the ACL, 409 once shipped, closed or cancelled."""
    order: Order = acl.get_for_action(request.user, "commerce.order", "edit", pk)
    if order.internal_status not in order_lines.EDITABLE:
        raise Conflict(
            f"The lines of an order that is {order.get_internal_status_display().lower()} cannot change."
        )
    return order


def _order_line(order: Order, line_id: int) -> OrderLine:
    line = OrderLine.objects.filter(order=order, pk=line_id).first()
    if line is None:
        raise NotFound(f"Line {line_id} was not found on {order.identifier}.")
    return line


@console_view("commerce.order", "edit")
def order_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    order = _editable_order(request, pk)
    form = OrderLineAddForm(request.POST or None, user=request.user)
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Add a line to {order.identifier}",
        button="Add line",
        form=form,
        act=lambda d: order_lines.order_line_add(
            order=order,
            product=d["product"],
            quantity=d["quantity"],
            unit_price=d["unit_price"],
            sku=d["sku"],
            name=d["name"],
            actor=request.user,
        ),
        done="The line was added; the totals follow.",
        explanation=f"Prices in {order.currency}. Paid so far: {order.paid_amount} {order.currency}.",
    )


@console_view("commerce.order", "edit")
def order_line_change(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    order = _editable_order(request, pk)
    found = _order_line(order, line)
    initial = {"quantity": found.quantity.normalize(), "unit_price": found.unit_price.normalize()}
    form = OrderLineChangeForm(request.POST or None, initial=initial)
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Change the line {found.sku} of {order.identifier}",
        button="Save line",
        form=form,
        act=lambda d: order_lines.order_line_change(
            line=found, quantity=d["quantity"], unit_price=d["unit_price"], actor=request.user
        ),
        done="The line was changed; the totals follow.",
        explanation=f"{found.name}. Paid so far: {order.paid_amount} {order.currency}.",
    )


@console_view("commerce.order", "edit")
def order_line_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    order = _editable_order(request, pk)
    found = _order_line(order, line)
    return _page(
        request,
        entity="commerce.order",
        obj=order,
        title=f"Remove the line {found.sku} from {order.identifier}",
        button="Remove line",
        button_class="btn-danger",
        form=None,
        act=lambda d: order_lines.order_line_remove(line=found, actor=request.user),
        done="The line was removed; the totals follow.",
        explanation=f"{found.name}: {found.quantity.normalize():f} × {found.unit_price} {order.currency}.",
    )


@console_view("commerce.quote", "delete")
def quote_delete(request: HttpRequest, pk: int) -> HttpResponse:
    from accord.commerce.console.documents import quote_delete_impact

    quote: Quote = acl.get_for_action(request.user, "commerce.quote", "delete", pk)
    if quote.status == QuoteStatus.ACCEPTED:
        raise Conflict("An accepted quote cannot be deleted: it is the record behind its order.")
    return _page(
        request,
        entity="commerce.quote",
        obj=quote,
        title=f"Delete {quote}",
        button="Delete the quote",
        button_class="btn-danger",
        form=None,
        act=lambda d: quotes.quote_delete(quote=quote, actor=request.user),
        done=f"{quote} was deleted.",
        next_url=lambda _: reverse("console:quotes_list"),
        explanation=f"You are about to delete {quote}. This cannot be undone.",
        impact=quote_delete_impact(quote),
    )


urlpatterns: list[URLPattern] = [
    path("orders/<int:pk>/payment/", order_payment, name="orders_payment"),
    path("orders/<int:pk>/refund/", order_refund, name="orders_refund"),
    path("orders/<int:pk>/cancel/", order_cancel, name="orders_cancel"),
    path("rfqs/<int:pk>/quote/", rfq_quote, name="rfqs_quote"),
    path("quotes/<int:pk>/send/", quote_send, name="quotes_send"),
    path("quotes/<int:pk>/delete/", quote_delete, name="quotes_delete"),
    path("orders/<int:pk>/lines/new/", order_line_add, name="orders_line_add"),
    path("orders/<int:pk>/lines/<int:line>/edit/", order_line_change, name="orders_line_change"),
    path("orders/<int:pk>/lines/<int:line>/remove/", order_line_remove, name="orders_line_remove"),
]
