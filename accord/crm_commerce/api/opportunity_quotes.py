"""/api/v1/opportunities/{id}/quotes: the quotes made from an opportunity of a commerce customer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import IntegerField, Value
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from accord.crm.models import Opportunity
from accord.platform import acl
from accord.platform.api.lists import ERRORS, ListParams, page_of, paginate
from accord.platform.api.schemas import MoneySchema

opportunity_quotes = Router(tags=["opportunities"])


class OpportunityQuoteLineIn(Schema):
    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = Field(
        None, description="Default: the product's price in the quote's currency."
    )


class OpportunityQuoteIn(Schema):
    lines: list[OpportunityQuoteLineIn] = Field(
        default_factory=list, description="Optional: a draft may get its lines later."
    )


class OpportunityQuoteOut(Schema):
    id: int = Field(..., description="The quote's id (/api/v1/quotes/{id}).")
    identifier: str
    opportunity_id: int
    customer_id: int
    status: str
    subtotal: MoneySchema
    valid_until: dt.date | None
    created_by_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_identifier(obj: Any) -> str:
        return str(obj)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.effective_status)

    @staticmethod
    def resolve_subtotal(obj: Any) -> MoneySchema:
        return MoneySchema(amount=obj.subtotal, currency=obj.currency)


def _opportunity(request: HttpRequest, pk: int) -> Opportunity:
    return acl.get_visible_or_404(
        request.auth, "crm.opportunity", pk, Opportunity.objects.select_related("customer_association")
    )


@opportunity_quotes.get(
    "/{int:pk}/quotes",
    response={200: page_of(OpportunityQuoteOut), **ERRORS},
    operation_id="opportunities_quotes_list",
)
def opportunities_quotes_list(request: HttpRequest, pk: int, params: Query[ListParams]) -> Any:
    """The quotes made from the opportunity that the caller may view."""
    from accord.crm_commerce.services.opportunity_quotes import opportunity_quotes as quotes_of

    opportunity = _opportunity(request, pk)
    queryset = quotes_of(opportunity=opportunity, user=request.auth).annotate(
        opportunity_id=Value(opportunity.pk, output_field=IntegerField())
    )
    return paginate(queryset, params, sorts=("id", "created_at"), default_sort="-created_at")


@opportunity_quotes.post(
    "/{int:pk}/quotes",
    response={201: OpportunityQuoteOut, **ERRORS},
    operation_id="opportunities_quotes_create",
)
def opportunities_quotes_create(
    request: HttpRequest, pk: int, payload: OpportunityQuoteIn | None = None
) -> Any:
    """oro-spec #100: a draft quote for the opportunity's commerce customer (422 on `opportunity`
    for any other customer; 403 without the right to create quotes)."""
    from accord.crm_commerce.services.opportunity_quotes import opportunity_quote_create

    opportunity = _opportunity(request, pk)
    lines = [line.dict() for line in payload.lines] if payload else []
    quote = opportunity_quote_create(opportunity=opportunity, actor=request.auth, lines=lines)
    quote.opportunity_id = opportunity.pk  # type: ignore[attr-defined]
    return Status(201, quote)
