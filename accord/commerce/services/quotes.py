"""Requests for quote and quotes: a buyer submits an RFQ from a shopping list, a sales rep turns
it into a quote (prices, validity), the buyer accepts the quote, which places an order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.commerce.models import (
    CustomerUser,
    Order,
    ProductStatus,
    Quote,
    QuoteLine,
    QuoteStatus,
    Rfq,
    RfqLine,
    RfqStatus,
    ShoppingList,
    ShoppingListLine,
)
from accord.commerce.services._common import audit_actor
from accord.commerce.services._documents import (
    assign_owner,
    clean_price,
    describe_lines,
    storefront_reach_error,
)
from accord.platform import audit, money
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User

SHOPPING_LIST = "commerce.shopping_list"
RFQ = "commerce.rfq"
QUOTE = "commerce.quote"


def _rfq_buyer(shopping_list: ShoppingList, customer_user: CustomerUser | None) -> CustomerUser:
    """The RFQ's customer user: the submitter when it belongs to the list's customer, else the list's owner.

    A Corporate buyer of a parent customer may ask for a quote on a subsidiary's list; the RFQ is the
    subsidiary's, in the name of the list's owner (a document's customer user belongs to its customer);
    the submitter is the actor of the audit entry. Decision 0035.
    """
    if customer_user is None:
        raise ValidationFailed({"customer_user_id": "A customer user is required."})
    owner = shopping_list.customer_user
    if owner.customer_id != shopping_list.customer_id:
        raise ValidationFailed(
            {
                "shopping_list_id": f"The list belongs to {shopping_list.customer.name}, but its owner "
                f"{owner} has moved to another customer."
            }
        )
    buyer = customer_user if customer_user.customer_id == shopping_list.customer_id else owner
    customer = shopping_list.customer
    problem = storefront_reach_error(
        customer_user, SHOPPING_LIST, "view", customer=customer, owner_id=owner.pk
    ) or storefront_reach_error(customer_user, RFQ, "create", customer=customer, owner_id=buyer.pk)
    if problem:
        raise ValidationFailed({"customer_user_id": problem})
    return buyer


def _check_products(lines: list[ShoppingListLine]) -> None:
    errors = {
        f"shopping_list.lines.{line.pk}.product_id": f"{line.product.sku} ({line.product.name}) is disabled: "
        "remove it from the list to ask for a quote."
        for line in lines
        if line.product.status != ProductStatus.ENABLED
    }
    if errors:
        raise ValidationFailed(errors)


def rfq_submit(
    *,
    shopping_list: ShoppingList,
    customer_user: CustomerUser,
    po_number: str = "",
    note: str = "",
    actor: Any,
) -> Rfq:
    """Ask for a quote on the list's lines (copied: the list stays and may change afterwards)."""
    po_number = (po_number or "").strip()
    if len(po_number) > 255:
        raise ValidationFailed({"po_number": "At most 255 characters."})
    with transaction.atomic():
        shopping_list = (
            ShoppingList.objects.select_for_update().select_related("customer").get(pk=shopping_list.pk)
        )
        buyer = _rfq_buyer(shopping_list, customer_user)
        lines = list(shopping_list.lines.select_related("product").order_by("id"))
        if not lines:
            raise ValidationFailed({"shopping_list_id": "The shopping list is empty."})
        _check_products(lines)
        rfq = Rfq(
            customer=shopping_list.customer,
            customer_user=buyer,
            shopping_list=shopping_list,
            po_number=po_number,
            note=(note or "").strip(),
        )
        assign_owner(rfq, customer=shopping_list.customer, actor=actor)
        rfq.save()
        created = RfqLine.objects.bulk_create(
            RfqLine(
                rfq=rfq,
                product=line.product,
                sku=line.product.sku,
                name=line.product.name,
                quantity=line.quantity,
                target_price=line.product.unit_price,
                currency=line.product.currency,
            )
            for line in lines
        )
        audit.record_create(instance=rfq, actor=audit_actor(actor), extra={"lines": describe_lines(created)})
    return rfq


def rfq_cancel(*, rfq: Rfq, actor: Any) -> Rfq:
    with transaction.atomic():
        rfq = Rfq.objects.select_for_update().get(pk=rfq.pk)
        if rfq.status == RfqStatus.CANCELLED:
            raise Conflict("This RFQ is already cancelled.")
        with audit.tracking(rfq, actor=audit_actor(actor)):
            rfq.status = RfqStatus.CANCELLED
            rfq.save()
    return rfq


def _quote_currency(lines: list[RfqLine], currency: str | None) -> str:
    if currency:
        return money.validate_currency(currency)
    found = {line.currency for line in lines if line.currency}
    return found.pop() if len(found) == 1 else money.base_currency()


def _quote_prices(lines: list[RfqLine], prices: Mapping[Any, Any], currency: str) -> dict[int, Decimal]:
    """A price per RFQ line: the one given, else the product's own price when in the quote's currency."""
    by_id = {line.pk: line for line in lines}
    errors: dict[str, str] = {}
    chosen: dict[int, Decimal] = {}
    for key, value in prices.items():
        try:
            line_id = int(key)
        except (TypeError, ValueError):
            line_id = -1
        if line_id not in by_id:
            errors[f"prices.{key}"] = "Not a line of this RFQ."
            continue
        try:
            chosen[line_id] = clean_price(value, f"prices.{key}")
        except ValidationFailed as exc:
            errors.update({k: v[0] for k, v in exc.field_errors.items()})
    for line in lines:
        if line.pk in chosen:
            continue
        if line.target_price is not None and line.currency == currency:
            chosen[line.pk] = line.target_price
        else:
            errors[f"prices.{line.pk}"] = f"A price in {currency} is required for {line.sku}."
    if errors:
        raise ValidationFailed(errors)
    return chosen


def quote_create_from_rfq(
    *,
    rfq: Rfq,
    actor: Any,
    prices: Mapping[Any, Decimal] | None = None,
    valid_until: dt.date | None = None,
    currency: str | None = None,
    send: bool = True,
) -> Quote:
    """A quote for the RFQ's lines, sent to the buyer (unless `send` is False: a draft)."""
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationFailed({"valid_until": "The last valid day cannot be in the past."})
    with transaction.atomic():
        rfq = Rfq.objects.select_for_update().select_related("customer").get(pk=rfq.pk)
        if rfq.status == RfqStatus.CANCELLED:
            raise Conflict("This RFQ is cancelled.")
        lines = list(rfq.lines.order_by("id"))
        code = _quote_currency(lines, currency)
        chosen = _quote_prices(lines, prices or {}, code)
        quote = Quote(
            customer=rfq.customer,
            customer_user=rfq.customer_user,
            rfq=rfq,
            po_number=rfq.po_number,
            currency=code,
            status=QuoteStatus.SENT if send else QuoteStatus.DRAFT,
            valid_until=valid_until,
            created_by=actor if isinstance(actor, User) else None,
        )
        assign_owner(quote, customer=rfq.customer, actor=actor)
        quote_lines = [
            QuoteLine(
                rfq_line=line,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                quantity=line.quantity,
                unit_price=chosen[line.pk],
            )
            for line in lines
        ]
        quote.subtotal = sum((q.total for q in quote_lines), Decimal("0"))
        quote.save()
        for q in quote_lines:
            q.quote = quote
        QuoteLine.objects.bulk_create(quote_lines)
        audit.record_create(
            instance=quote, actor=audit_actor(actor), extra={"lines": describe_lines(quote_lines)}
        )
        with audit.tracking(rfq, actor=audit_actor(actor)):
            rfq.status = RfqStatus.QUOTED
            rfq.save()
    return quote


def quote_send(*, quote: Quote, actor: Any) -> Quote:
    """Offer a draft quote to the buyer."""
    with transaction.atomic():
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if quote.status != QuoteStatus.DRAFT:
            raise Conflict(
                f"Only a draft quote can be sent; this one is {quote.get_status_display().lower()}."
            )
        with audit.tracking(quote, actor=audit_actor(actor)):
            quote.status = QuoteStatus.SENT
            quote.save()
    return quote


def _order_buyer(quote: Quote, customer_user: CustomerUser | None) -> CustomerUser | None:
    """Who may accept (the storefront reach of `commerce.quote` edit) and in whose name the order is.

    The order is the quote's customer's. Its customer user is the one accepting when it belongs to
    that customer, else (a Corporate buyer of an ancestor) the quote's own customer user; the one
    accepting is the actor of the audit entries. Decision 0035.
    """
    if customer_user is None:
        raise ValidationFailed({"customer_user_id": "A customer user is required."})
    problem = storefront_reach_error(
        customer_user, QUOTE, "edit", customer=quote.customer, owner_id=quote.customer_user_id
    )
    if problem:
        raise ValidationFailed({"customer_user_id": problem})
    if customer_user.customer_id == quote.customer_id:
        return customer_user
    own = quote.customer_user
    return own if own is not None and own.customer_id == quote.customer_id else None


def quote_accept(*, quote: Quote, customer_user: CustomerUser, actor: Any) -> Order:
    """The buyer accepts a sent, unexpired quote: it places an order with the quote's lines and prices."""
    from accord.commerce.services.orders import order_create

    with transaction.atomic():
        quote = Quote.objects.select_for_update().select_related("customer").get(pk=quote.pk)
        if quote.status == QuoteStatus.ACCEPTED:
            raise Conflict("This quote has already been accepted.")
        if quote.is_expired:
            raise Conflict("This quote has expired.")
        if quote.status != QuoteStatus.SENT:
            raise Conflict("This quote has not been sent yet.")
        buyer = _order_buyer(quote, customer_user)
        lines = [
            {
                "product_id": line.product_id,
                "sku": line.sku,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
            }
            for line in quote.lines.order_by("id")
        ]
        order = order_create(
            customer=quote.customer,
            customer_user=buyer,
            lines=lines,
            currency=quote.currency,
            po_number=quote.po_number,
            entry_point="quote",
            source_quote=quote,
            owner=quote.owner,
            actor=actor,
        )
        with audit.tracking(quote, actor=audit_actor(actor)) as extra:
            extra["accepted_by"] = {"old": None, "new": str(audit_actor(customer_user))}
            quote.status = QuoteStatus.ACCEPTED
            quote.accepted_at = timezone.now()
            quote.save()
    return order


def quote_delete(*, quote: Quote, actor: Any) -> None:
    """Withdraw a quote not yet accepted (an accepted one is the record behind its order). Decision 0036.

    Its lines go with it; the RFQ stays and, when no other quote answers it, is "submitted" again.
    """
    with transaction.atomic():
        rfq_id = Quote.objects.filter(pk=quote.pk).values_list("rfq_id", flat=True).first()
        rfq = Rfq.objects.select_for_update().get(pk=rfq_id) if rfq_id else None  # RFQ first, as on create
        quote = Quote.objects.select_for_update().get(pk=quote.pk)
        if quote.status == QuoteStatus.ACCEPTED:
            raise Conflict("An accepted quote cannot be deleted: it is the record behind its order.")
        audit.record_delete(instance=quote, actor=audit_actor(actor))
        quote.delete()
        if rfq is not None and rfq.status == RfqStatus.QUOTED and not rfq.quotes.exists():
            with audit.tracking(rfq, actor=audit_actor(actor)):
                rfq.status = RfqStatus.SUBMITTED
                rfq.save()
