"""The opportunity view's quotes section (oro-spec #100, "Quote created") and its "Create quote" button."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import URLPattern, path
from django.views.decorators.http import require_POST

from accord.commerce.models import QuoteStatus
from accord.crm.models import CLOSED_STATUSES, Opportunity
from accord.crm.registries import OpportunityViewSection
from accord.crm_commerce.models import OpportunityQuote
from accord.crm_commerce.services.opportunity_quotes import (
    QUOTE,
    is_for_commerce_customer,
    opportunity_quote_create,
    opportunity_quotes,
)
from accord.platform import acl
from accord.platform.console.pages import console_view
from accord.platform.errors import Conflict, ValidationFailed

QUOTES_SHOWN = 20


def render_quotes_section(opportunity: Opportunity, request: HttpRequest) -> str:
    """Nothing unless the opportunity is for a commerce customer; else its quotes and the button."""
    if not is_for_commerce_customer(opportunity):
        return ""
    user = request.user
    quotes = list(
        opportunity_quotes(opportunity=opportunity, user=user).select_related("created_by")[:QUOTES_SHOWN]
    )
    for quote in quotes:
        quote.status_label = QuoteStatus(quote.effective_status).label  # type: ignore[attr-defined]
    context = {
        "opportunity": opportunity,
        "made": bool(quotes) or OpportunityQuote.objects.filter(opportunity_id=opportunity.pk).exists(),
        "quotes": quotes,
        "can_create": opportunity.status not in CLOSED_STATUSES and acl.can(user, QUOTE, "create"),
    }
    return render_to_string("crm_commerce/opportunity_quotes.html", context, request=request)


SECTION = OpportunityViewSection("crm_commerce.quotes", "Quotes", render_quotes_section, order=50)


@require_POST
@console_view(QUOTE, "create")
def opportunity_quote_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the draft quote, then back to the opportunity (a refusal is shown there)."""
    opportunity: Any = acl.get_visible_or_404(request.user, "crm.opportunity", pk, Opportunity.objects.all())
    try:
        quote = opportunity_quote_create(opportunity=opportunity, actor=request.user)
    except (ValidationFailed, Conflict) as exc:
        reasons = exc.as_errors()
        messages.error(request, " ".join(reason["message"] for reason in reasons) or exc.message)
    else:
        messages.success(request, f"{quote} was created for the opportunity as a draft.")
    return redirect("console:opportunities_view", pk=pk)


urlpatterns: list[URLPattern] = [
    path(
        "crm-commerce/opportunities/<int:pk>/quotes/",
        opportunity_quote_create_view,
        name="crm_commerce_opportunity_quote_create",
    )
]
