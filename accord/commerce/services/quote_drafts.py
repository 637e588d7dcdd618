"""Draft quotes made in the back office for a customer, without an RFQ (oro-spec §2.10: a sales rep
may offer a quote on its own, e.g. from a sales opportunity); they are offered with `quote_send`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.commerce.models import Customer, CustomerUser, Product, Quote, QuoteLine, QuoteStatus
from accord.commerce.services._common import audit_actor
from accord.commerce.services._documents import (
    assign_owner,
    check_customer_user,
    check_product,
    clean_price,
    clean_quantity,
    describe_lines,
)
from accord.platform import audit, money
from accord.platform.errors import ValidationFailed
from accord.platform.models import User


def _product_id(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _draft_lines(lines: Sequence[Mapping[str, Any]], organization_id: int, currency: str) -> list[QuoteLine]:
    """Quote lines from rows {product_id, quantity, unit_price?}: the product's price when in the currency."""
    products = Product.objects.filter(organization_id=organization_id).in_bulk(
        {pk for pk in (_product_id(row.get("product_id")) for row in lines) if pk is not None}
    )
    errors: dict[str, str] = {}
    result = []
    for index, row in enumerate(lines):
        prefix = f"lines.{index}"
        try:
            product = check_product(
                products.get(_product_id(row.get("product_id")) or 0), organization_id, f"{prefix}.product_id"
            )
            quantity = clean_quantity(row.get("quantity"), f"{prefix}.quantity")
            price = row.get("unit_price")
            if price is None:
                if product.currency != currency:
                    raise ValidationFailed(
                        {f"{prefix}.unit_price": f"A unit price in {currency} is required."}
                    )
                price = product.unit_price
            unit_price = clean_price(price, f"{prefix}.unit_price")
        except ValidationFailed as exc:
            errors.update({k: v[0] for k, v in exc.field_errors.items()})
            continue
        result.append(
            QuoteLine(
                product=product, sku=product.sku, name=product.name, quantity=quantity, unit_price=unit_price
            )
        )
    if errors:
        raise ValidationFailed(errors)
    return result


def quote_create(
    *,
    customer: Customer,
    actor: Any,
    customer_user: CustomerUser | None = None,
    lines: Sequence[Mapping[str, Any]] = (),
    currency: str | None = None,
    valid_until: dt.date | None = None,
) -> Quote:
    """A draft quote for the customer (currency: the one given, else the base currency); audited."""
    if customer is None:
        raise ValidationFailed({"customer_id": "A customer is required."})
    check_customer_user(customer_user, customer, "customer_user_id")
    if valid_until is not None and valid_until < timezone.localdate():
        raise ValidationFailed({"valid_until": "The last valid day cannot be in the past."})
    code = money.validate_currency(currency) if currency else money.base_currency()
    quote_lines = _draft_lines(lines, customer.organization_id, code) if lines else []
    quote = Quote(
        customer=customer,
        customer_user=customer_user,
        currency=code,
        status=QuoteStatus.DRAFT,
        valid_until=valid_until,
        created_by=actor if isinstance(actor, User) else None,
        subtotal=sum((line.total for line in quote_lines), Decimal("0")),
    )
    assign_owner(quote, customer=customer, actor=actor)
    with transaction.atomic():
        quote.save()
        for line in quote_lines:
            line.quote = quote
        QuoteLine.objects.bulk_create(quote_lines)
        audit.record_create(
            instance=quote, actor=audit_actor(actor), extra={"lines": describe_lines(quote_lines)}
        )
    return quote
