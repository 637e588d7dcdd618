"""Quotes from opportunities of commerce customers (oro-spec #100, "Quote created"): a sales rep
creates a draft quote for the opportunity's customer through commerce's own service, and the bridge
remembers which opportunity it came from (decision 0061)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from accord.commerce.models import Customer, Quote
from accord.commerce.services.quote_drafts import quote_create
from accord.crm.models import CLOSED_STATUSES, Opportunity
from accord.crm_commerce.models import OpportunityQuote
from accord.crm_commerce.services._common import SOURCE
from accord.platform import acl, audit
from accord.platform.errors import Conflict, NotFound, ValidationFailed
from accord.platform.models import User

OPPORTUNITY, QUOTE = "crm.opportunity", "commerce.quote"


def is_for_commerce_customer(opportunity: Opportunity) -> bool:
    hub = opportunity.customer_association
    return hub is not None and hub.source_type == SOURCE


def opportunity_quote_create(
    *, opportunity: Opportunity, actor: Any, lines: Sequence[Mapping[str, Any]] | None = None
) -> Quote:
    """A draft quote for the opportunity's commerce customer, in the budget's currency (else the base
    currency), without a customer user; one transaction, audited on the quote and the opportunity."""
    if not acl.can(actor, OPPORTUNITY, "view", opportunity):
        raise NotFound(f"Opportunity {opportunity.pk} does not exist.")
    acl.require(actor, QUOTE, "create")
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)  # no outer join (PG)
        hub = opportunity.customer_association
        if hub is None or hub.source_type != SOURCE:
            raise ValidationFailed(
                {"opportunity": "Quotes are made for opportunities of a commerce customer."}
            )
        if opportunity.status in CLOSED_STATUSES:
            raise Conflict("The opportunity is closed: reopen it to make a quote.")
        customer = Customer.objects.filter(pk=hub.source_id or 0).first()
        if customer is None:
            raise ValidationFailed({"opportunity": "Its commerce customer no longer exists."})
        quote = quote_create(
            customer=customer, actor=actor, lines=lines or (), currency=opportunity.budget_currency or None
        )
        OpportunityQuote.objects.create(
            opportunity=opportunity, quote=quote, created_by=actor if isinstance(actor, User) else None
        )
        audit.record_update(
            instance=opportunity,
            actor=actor,
            before=audit.snapshot(opportunity),
            extra={"quotes": {"old": None, "new": str(quote)}},
        )
    return quote


def opportunity_quotes(*, opportunity: Opportunity, user: Any) -> QuerySet[Quote]:
    """The quotes made from the opportunity that the user may view, newest first."""
    made = OpportunityQuote.objects.filter(opportunity_id=opportunity.pk).values("quote_id")
    return acl.visible(user, QUOTE, Quote.objects.filter(pk__in=made)).order_by("-created_at", "-id")
