"""Console action pages on documents: record a payment or refund, cancel an order, turn an RFQ
into a quote, send a draft quote. Each parses a form, checks the ACL, calls one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from accord.commerce.models import Order, Quote, Rfq
from accord.commerce.services import payments, quotes
from accord.platform import acl
from accord.platform.console.pages import apply_errors, console_view
from accord.platform.errors import DomainError
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


urlpatterns: list[URLPattern] = [
    path("orders/<int:pk>/payment/", order_payment, name="orders_payment"),
    path("orders/<int:pk>/refund/", order_refund, name="orders_refund"),
    path("orders/<int:pk>/cancel/", order_cancel, name="orders_cancel"),
    path("rfqs/<int:pk>/quote/", rfq_quote, name="rfqs_quote"),
    path("quotes/<int:pk>/send/", quote_send, name="quotes_send"),
]
