"""Opportunities: statuses with default probabilities, closing won/lost, base-currency values
fixed on close, and the lifetime values that follow won deals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.crm.models import (
    CLOSED_STATUSES,
    CloseReason,
    Contact,
    CustomerAssociation,
    Lead,
    Opportunity,
    OpportunityStatus,
)
from accord.crm.services import lifetime
from accord.crm.services.sales_common import (
    KEEP,
    association_org,
    check_same_org,
    clean_choice,
    clean_money,
    clean_text,
    owner_for,
    set_owner,
)
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.money import base_currency, to_base
from accord.platform.rows import instances_insert
from accord.platform.search import search_index_remove, search_index_update
from accord.platform.services.settings import setting_get

ENTITY = "crm.opportunity"
BULK_REFRESH = 20  # won hub rows in one bulk call beyond which a full set-based recalculation is cheaper
Money = tuple[Any, str | None]  # (amount, currency)


def default_probability(status: str | None) -> Decimal | None:
    """The configured default probability (percent) of a status (settings section "Opportunities")."""
    if not status:
        return None
    return Decimal(str(setting_get(f"opportunities.probability_{status}")))


def _clean_probability(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        probability = Decimal(str(value))
    except ArithmeticError:
        raise ValidationFailed({"probability": "Enter a number."}) from None
    if not probability.is_finite() or not 0 <= probability <= 100:
        raise ValidationFailed({"probability": "The probability is between 0 and 100 %."})
    return probability.quantize(Decimal("0.01"))


def _apply_status(
    opportunity: Opportunity, old_status: str | None, new_status: str, probability: Any
) -> None:
    """oro-spec #95/#96: probability follows the status unless overridden; closed_at on close/reopen."""
    old_probability = opportunity.probability
    opportunity.status = new_status
    if probability is not KEEP:
        opportunity.probability = _clean_probability(probability)
    elif new_status != old_status and (
        old_status is None or old_probability is None or old_probability == default_probability(old_status)
    ):
        opportunity.probability = default_probability(new_status)
    if new_status in CLOSED_STATUSES:
        if new_status != old_status or opportunity.closed_at is None:
            opportunity.closed_at = timezone.now()
    else:
        opportunity.closed_at = None


def _fix_base_values(opportunity: Opportunity, before: dict[str, Any] | None) -> None:
    """Closed: base values fixed at the rate of the closing day (kept unless the money changes);
    open: NULL, so that open deals convert at the current rate."""
    if opportunity.status not in CLOSED_STATUSES:
        opportunity.base_budget_amount = None
        opportunity.base_close_revenue_amount = None
        return
    assert opportunity.closed_at is not None
    day = timezone.localdate(opportunity.closed_at)
    for prefix in ("budget", "close_revenue"):
        amount = getattr(opportunity, f"{prefix}_amount")
        currency = getattr(opportunity, f"{prefix}_currency")
        changed = before is None or any(
            before.get(name) != audit.snapshot(opportunity).get(name)
            for name in (f"{prefix}_amount", f"{prefix}_currency", "status", "closed_at")
        )
        if amount is None:
            setattr(opportunity, f"base_{prefix}_amount", None)
        elif changed or getattr(opportunity, f"base_{prefix}_amount") is None:
            setattr(opportunity, f"base_{prefix}_amount", to_base(amount, currency, day))


def _check_links(org_id: int | None, association: Any, contact: Any, lead: Any) -> None:
    if association is not None and association is not KEEP and association_org(association) != org_id:
        raise ValidationFailed({"customer_association_id": "It belongs to another organization."})
    check_same_org(
        org_id,
        contact_id=contact if contact is not KEEP else None,
        lead_id=lead if lead is not KEEP else None,
    )


def opportunity_create(
    *,
    name: str,
    customer_association: CustomerAssociation,
    actor: Any,
    status: str = OpportunityStatus.IN_PROGRESS,
    probability: Any = KEEP,
    budget: Money | None = None,
    close_revenue: Money | None = None,
    close_date: dt.date | None = None,
    close_reason: str = "",
    contact: Contact | None = None,
    lead: Lead | None = None,
    customer_need: str = "",
    proposed_solution: str = "",
    notes: str = "",
    owner: User | None = None,
) -> Opportunity:
    """oro-spec #93: name and status required; the default status is Open (in_progress)."""
    name = clean_text(name, field="name", required=True)
    status = clean_choice(status or OpportunityStatus.IN_PROGRESS, OpportunityStatus, "status", required=True)
    owner = owner_for(owner=owner, actor=actor)
    if customer_association is None:
        raise ValidationFailed({"account_id": "Choose the account or customer of the opportunity."})
    _check_links(owner.organization_id, customer_association, contact, lead)
    opportunity = Opportunity(
        name=name,
        customer_association=customer_association,
        close_date=close_date,
        close_reason=clean_choice(close_reason, CloseReason, "close_reason"),
        contact=contact,
        lead=lead,
        customer_need=customer_need or "",
        proposed_solution=proposed_solution or "",
        notes=notes or "",
    )
    opportunity.budget_amount, opportunity.budget_currency = clean_money(
        *(budget or (None, None)), field="budget"
    )
    opportunity.close_revenue_amount, opportunity.close_revenue_currency = clean_money(
        *(close_revenue or (None, None)), field="close_revenue"
    )
    set_owner(opportunity, owner)
    _apply_status(opportunity, None, status, probability)
    with transaction.atomic():
        _fix_base_values(opportunity, None)
        opportunity.save()
        audit.record_create(instance=opportunity, actor=actor)
        search_index_update(entity=ENTITY, ids=[opportunity.pk])
        if opportunity.status == OpportunityStatus.WON:
            lifetime.associations_refresh([opportunity.customer_association_id])
    return opportunity


def opportunity_update(
    *,
    opportunity: Opportunity,
    actor: Any,
    name: str | None = None,
    customer_association: CustomerAssociation | None = KEEP,
    status: str | None = None,
    probability: Any = KEEP,
    budget: Money | None = KEEP,
    close_revenue: Money | None = KEEP,
    close_date: dt.date | None = KEEP,
    close_reason: str | None = None,
    contact: Contact | None = KEEP,
    lead: Lead | None = KEEP,
    customer_need: str | None = None,
    proposed_solution: str | None = None,
    notes: str | None = None,
    owner: User | None = None,
) -> Opportunity:
    """Change the fields given; a move, a status change or a revenue change of a won deal updates
    the lifetime values of the old and new customer (oro-spec #54)."""
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        before = audit.snapshot(opportunity)
        old_status, old_association = opportunity.status, opportunity.customer_association_id
        _check_links(opportunity.organization_id, customer_association, contact, lead)
        if name is not None:
            opportunity.name = clean_text(name, field="name", required=True)
        if customer_association is not KEEP:
            if customer_association is None:
                raise ValidationFailed({"account_id": "Choose the account or customer of the opportunity."})
            opportunity.customer_association = customer_association
        if budget is not KEEP:
            opportunity.budget_amount, opportunity.budget_currency = clean_money(
                *(budget or (None, None)), field="budget"
            )
        if close_revenue is not KEEP:
            opportunity.close_revenue_amount, opportunity.close_revenue_currency = clean_money(
                *(close_revenue or (None, None)), field="close_revenue"
            )
        for field, value in (("contact", contact), ("lead", lead), ("close_date", close_date)):
            if value is not KEEP:
                setattr(opportunity, field, value)
        if close_reason is not None:
            opportunity.close_reason = clean_choice(close_reason, CloseReason, "close_reason")
        for field, text in (("customer_need", customer_need), ("proposed_solution", proposed_solution)):
            if text is not None:
                setattr(opportunity, field, text)
        if notes is not None:
            opportunity.notes = notes
        if owner is not None:
            check_same_org(opportunity.organization_id, owner_id=owner)
            set_owner(opportunity, owner)
        new_status = old_status
        if status is not None:
            new_status = clean_choice(status, OpportunityStatus, "status", required=True)
        _apply_status(opportunity, old_status, new_status, probability)
        _fix_base_values(opportunity, before)
        opportunity.save()
        audit.record_update(instance=opportunity, actor=actor, before=before)
        search_index_update(entity=ENTITY, ids=[opportunity.pk])
        if OpportunityStatus.WON in (old_status, opportunity.status):
            lifetime.associations_refresh([old_association, opportunity.customer_association_id])
    return opportunity


def opportunity_close_won(
    *, opportunity: Opportunity, close_date: dt.date | None, actor: Any, close_revenue: Money | None = None
) -> Opportunity:
    """oro-spec #98: needs a close date; the close revenue defaults to the budget."""
    if close_date is None:
        raise ValidationFailed({"close_date": "A close date is required to close the opportunity."})
    if close_revenue is None or close_revenue[0] in (None, ""):
        if opportunity.budget_amount is not None:
            close_revenue = (opportunity.budget_amount, opportunity.budget_currency)
        else:
            close_revenue = (Decimal(0), base_currency())
    return opportunity_update(
        opportunity=opportunity,
        status=OpportunityStatus.WON,
        probability=default_probability(OpportunityStatus.WON),
        close_date=close_date,
        close_reason=CloseReason.WON,
        close_revenue=close_revenue,
        actor=actor,
    )


def opportunity_close_lost(
    *, opportunity: Opportunity, close_date: dt.date | None, close_reason: str | None, actor: Any
) -> Opportunity:
    """oro-spec #99: needs a close date and a reason; the close revenue becomes 0."""
    errors = {}
    if close_date is None:
        errors["close_date"] = "A close date is required to close the opportunity."
    if not close_reason:
        errors["close_reason"] = "Say why the opportunity was lost."
    if errors:
        raise ValidationFailed(errors)
    return opportunity_update(
        opportunity=opportunity,
        status=OpportunityStatus.LOST,
        probability=default_probability(OpportunityStatus.LOST),
        close_date=close_date,
        close_reason=close_reason,
        close_revenue=(Decimal(0), base_currency()),
        actor=actor,
    )


def opportunity_delete(*, opportunity: Opportunity, actor: Any) -> None:
    with transaction.atomic():
        opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        association_id, was_won = (
            opportunity.customer_association_id,
            opportunity.status == OpportunityStatus.WON,
        )
        audit.record_delete(instance=opportunity, actor=actor)
        pk = opportunity.pk
        opportunity.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
        if was_won:
            lifetime.associations_refresh([association_id])


def _bulk_status(opportunity: Opportunity, row: Any, index: int, probabilities: dict[str, Any]) -> dt.date:
    """Status, probability, close fields of one bulk row; returns the day its money converts on."""
    status = clean_choice(
        row.get("status") or OpportunityStatus.IN_PROGRESS, OpportunityStatus, "status", required=True
    )
    if status not in probabilities:
        probabilities[status] = default_probability(status)
    opportunity.status = status
    given = row.get("probability", KEEP)
    opportunity.probability = probabilities[status] if given is KEEP else _clean_probability(given)
    opportunity.close_date = row.get("close_date")
    reason = row.get("close_reason") or (CloseReason.WON if status == OpportunityStatus.WON else "")
    opportunity.close_reason = clean_choice(reason, CloseReason, "close_reason")
    if status not in CLOSED_STATUSES:
        return timezone.localdate()
    if opportunity.close_date is None:
        raise ValidationFailed({"close_date": "A close date is required to close the opportunity."})
    if status == OpportunityStatus.LOST and not opportunity.close_reason:
        raise ValidationFailed({"close_reason": "Say why the opportunity was lost."})
    opportunity.closed_at = row.get("closed_at") or timezone.now()
    return timezone.localdate(opportunity.closed_at)


def _bulk_opportunity(row: Any, index: int, default_owner: User, ctx: dict[str, Any]) -> Opportunity:
    """An unsaved opportunity from one bulk row: base values fixed at the closing day's rate when
    closed (won: the revenue defaults to the budget; lost: 0), NULL while open."""
    from accord.crm.services.bulk_rows import row_errors, row_owner

    owner = row_owner(row, default_owner, index)
    book = ctx["rates"]
    with row_errors(f"rows.{index}"):
        opportunity = Opportunity(
            name=clean_text(row.get("name"), field="name", required=True),
            contact_id=row.get("contact_id"),
            lead_id=row.get("lead_id"),
            customer_need=row.get("customer_need") or "",
            notes=row.get("notes") or "",
        )
        day = _bulk_status(opportunity, row, index, ctx["probabilities"])
        budget = book.money(row.get("budget"), field="budget", day=day)
        revenue = row.get("close_revenue")
        if opportunity.status == OpportunityStatus.LOST:
            revenue = (Decimal(0), book.base)
        elif opportunity.status == OpportunityStatus.WON and (revenue is None or revenue[0] in (None, "")):
            revenue = (budget[0], budget[1]) if budget[0] is not None else (Decimal(0), book.base)
        close = book.money(revenue, field="close_revenue", day=day)
        if (row.get("account_id") is None) == (row.get("business_customer_id") is None):
            raise ValidationFailed({"account_id": "Give the account or the business customer."})
    opportunity.budget_amount, opportunity.budget_currency, base_budget = budget
    opportunity.close_revenue_amount, opportunity.close_revenue_currency, base_close = close
    if opportunity.status in CLOSED_STATUSES:
        opportunity.base_budget_amount, opportunity.base_close_revenue_amount = base_budget, base_close
    set_owner(opportunity, owner)
    return opportunity


def _bulk_hub_rows(rows: Any, org_id: int | None) -> list[int]:
    """The hub row of each bulk row: the account's own row, or the business customer's row."""
    from accord.crm.models import Account, BusinessCustomer
    from accord.crm.models.business_customers import SOURCE_TYPE as BC_SOURCE
    from accord.crm.services.bulk_rows import account_hub_rows, check_ids

    accounts = {n: row.get("account_id") for n, row in enumerate(rows)}
    customers = {n: row.get("business_customer_id") for n, row in enumerate(rows)}
    check_ids(Account, accounts, field="account_id", organization_id=org_id)
    check_ids(BusinessCustomer, customers, field="business_customer_id", organization_id=org_id)
    own = account_hub_rows(pk for pk in accounts.values() if pk is not None)
    wanted = sorted({pk for pk in customers.values() if pk is not None})
    hubs: dict[Any, int] = {}
    for start in range(0, len(wanted), 1000):
        hubs.update(
            CustomerAssociation.objects.filter(
                source_type=BC_SOURCE, source_id__in=wanted[start : start + 1000]
            ).values_list("source_id", "pk")
        )
    result = []
    for n in range(len(rows)):
        if accounts[n] is not None:
            result.append(own[accounts[n]])
        elif customers[n] in hubs:
            result.append(hubs[customers[n]])
        else:
            raise ValidationFailed(
                {f"rows.{n}.business_customer_id": "The business customer has no hub row."}
            )
    return result


def opportunities_bulk_create(*, rows: Any, owner: User, actor: Any) -> list[Opportunity]:
    """Create opportunities in a few statements per batch (imports, generated data). Rows: name,
    status?, probability?, budget? and close_revenue? as (amount, currency), close_date? (required
    when closed), closed_at?, close_reason?, account_id or business_customer_id, contact_id?,
    lead_id?, owner?. Won rows change lifetime values: they are recomputed set-based."""
    from accord.crm.services.bulk_rows import RateBook, check_ids

    default_owner = owner_for(owner=owner, actor=actor)
    org_id = default_owner.organization_id
    ctx: dict[str, Any] = {"rates": RateBook(), "probabilities": {}}
    opportunities = [_bulk_opportunity(row, n, default_owner, ctx) for n, row in enumerate(rows)]
    check_ids(
        Contact,
        {n: o.contact_id for n, o in enumerate(opportunities)},
        field="contact_id",
        organization_id=org_id,
    )
    check_ids(
        Lead, {n: o.lead_id for n, o in enumerate(opportunities)}, field="lead_id", organization_id=org_id
    )
    with transaction.atomic():
        for opportunity, hub in zip(opportunities, _bulk_hub_rows(rows, org_id), strict=True):
            opportunity.customer_association_id = hub
        instances_insert(opportunities)
        audit.record_bulk_create(instances=opportunities, actor=actor)
        search_index_update(entity=ENTITY, ids=[o.pk for o in opportunities])
        won = {o.customer_association_id for o in opportunities if o.status == OpportunityStatus.WON}
        if len(won) > BULK_REFRESH:
            lifetime.lifetime_recalculate()  # set-based over everything: cheaper than pair by pair
        else:
            lifetime.associations_refresh(won)
    return opportunities
