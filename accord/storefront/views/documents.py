"""Requests for quote, quotes (accept one) and orders (reorder one) of the user's reach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accord.commerce.services import orders as order_services
from accord.commerce.services import quotes as quote_services
from accord.platform.errors import DomainError
from accord.storefront import access, selectors
from accord.storefront.selectors import ORDER, QUOTE, RFQ, SHOPPING_LIST
from accord.storefront.views.common import me, redirect, render_page, storefront_page


def _list(
    request: HttpRequest, key: str, queryset: QuerySet[Any], template: str, section: str
) -> HttpResponse:
    visible = access.visible(me(request), key, queryset).order_by("-created_at", "-id")
    page = Paginator(visible, 25).get_page(request.GET.get("page"))
    return render_page(request, f"storefront/documents/{template}.html", {"section": section, "page": page})


def _detail(
    request: HttpRequest, key: str, pk: int, queryset: QuerySet[Any], template: str, **extra: Any
) -> Any:
    record = access.get_visible_or_404(me(request), key, pk, queryset)
    lines = record.lines.order_by("id")
    section = {RFQ: "rfqs", QUOTE: "quotes", ORDER: "orders"}[key]
    context = {"section": section, "record": record, "lines": lines, **extra}
    return record, context, f"storefront/documents/{template}.html"


@storefront_page
def rfqs(request: HttpRequest) -> HttpResponse:
    return _list(request, RFQ, selectors.rfqs(), "rfqs", "rfqs")


@storefront_page
def rfq(request: HttpRequest, pk: int) -> HttpResponse:
    record, context, template = _detail(request, RFQ, pk, selectors.rfqs(), "rfq")
    context["quotes"] = access.visible(me(request), QUOTE, selectors.quotes().filter(rfq=record)).order_by(
        "-id"
    )
    return render_page(request, template, context)


@storefront_page
def quotes(request: HttpRequest) -> HttpResponse:
    return _list(request, QUOTE, selectors.quotes(), "quotes", "quotes")


@storefront_page
def quote(request: HttpRequest, pk: int) -> HttpResponse:
    record, context, template = _detail(request, QUOTE, pk, selectors.quotes(), "quote")
    context["may_accept"] = record.effective_status == "sent" and access.may(
        me(request), QUOTE, "edit", record
    )
    return render_page(request, template, context)


@storefront_page
@require_POST
def quote_accept(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    record = access.get_for_action(user, QUOTE, "edit", pk, selectors.quotes())
    try:
        order = quote_services.quote_accept(quote=record, customer_user=user, actor=user)
    except DomainError as exc:
        messages.error(request, "; ".join(e["message"] for e in exc.as_errors()))
        return redirect("storefront:quote", record.pk)
    messages.success(request, f"Thank you! Your order {order.identifier} is placed.")
    if not access.may(user, ORDER, "view", order):  # e.g. a subsidiary's order, orders seen at User level
        return redirect("storefront:quote", record.pk)
    return redirect("storefront:order", order.pk)


@storefront_page
def orders(request: HttpRequest) -> HttpResponse:
    return _list(request, ORDER, selectors.orders(), "orders", "orders")


@storefront_page
def order(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    record, context, template = _detail(request, ORDER, pk, selectors.orders(), "order")
    context["may_reorder"] = access.may(user, SHOPPING_LIST, "create")
    return render_page(request, template, context)


@storefront_page
@require_POST
def order_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    record = access.get_visible_or_404(user, ORDER, pk, selectors.orders())
    access.require(user, SHOPPING_LIST, "create")
    try:
        created = order_services.order_reorder(order=record, customer_user=user, actor=user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("storefront:order", record.pk)
    messages.success(request, f"The shopping list {created.name} holds the order's products.")
    return redirect("storefront:shopping_list", created.pk)
