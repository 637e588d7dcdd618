"""Buyer documents' share of `accord demo --scale S`: shopping lists, RFQs and quotes, created
set-based by the bulk services for the customer users and products the earlier generators made.

Per unit of scale: 20,000 shopping lists (1-4 lines), 5,000 RFQs on some of them and 5,000 quotes:
the accepted ones are the quotes behind existing generated orders (which then name them as their
source), the others answer RFQs (draft, sent or expired); RFQs left unquoted are submitted or
cancelled.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.commerce.models import CustomerUser, InternalStatus, Order, Product, ProductStatus, QuoteStatus
from accord.commerce.services.bulk_documents import (
    quotes_bulk_create,
    rfqs_bulk_create,
    shopping_lists_bulk_create,
)
from accord.platform.generate import ScaleContext, ScaleGenerator, chunks, scale_generators

BATCH = 2000
LIST_NAMES = (
    "Monthly restock",
    "Office",
    "Workshop",
    "Project",
    "Urgent",
    "Seasonal",
    "Favourites",
    "Spares",
)
ACCEPTED_SHARE = 0.3  # of the quotes: accepted, each behind an existing order
QUOTE_STATUSES = ((QuoteStatus.DRAFT, 20), (QuoteStatus.SENT, 50), (QuoteStatus.EXPIRED, 30))


def _buyers(ctx: ScaleContext) -> list[CustomerUser]:
    users = CustomerUser.objects.filter(organization=ctx.organization, enabled=True, is_guest=False)
    return list(users.only("id", "customer_id", "email", "first_name", "last_name").order_by("id"))


def _products(ctx: ScaleContext) -> list[Product]:
    enabled = Product.objects.filter(organization=ctx.organization, status=ProductStatus.ENABLED)
    return list(enabled.filter(sku__startswith="GEN-").order_by("sku")) or list(enabled.order_by("sku"))


def generate_shopping_lists(
    ctx: ScaleContext, buyers: list[CustomerUser], products: list[Product]
) -> list[Any]:
    total = ctx.count(20_000, minimum=10)
    made: list[Any] = []
    ctx.progress("shopping lists", 0, total)
    for batch in chunks(list(range(total)), BATCH):
        rows = []
        for n in batch:
            picked = ctx.rng.sample(products, min(len(products), ctx.rng.randint(1, 4)))
            rows.append(
                {
                    "customer_user": buyers[ctx.rng.randrange(len(buyers))],
                    "name": f"{ctx.rng.choice(LIST_NAMES)} {n + 1}",
                    "lines": [{"product": p, "quantity": ctx.rng.randint(1, 20)} for p in picked],
                }
            )
        made.extend(shopping_lists_bulk_create(rows=rows, actor=None))
        ctx.progress("shopping lists", len(made), total)
    return made


def _orders_to_accept(ctx: ScaleContext, wanted: int) -> list[Order]:
    """Generated orders not cancelled and not from a quote yet, a seeded sample of them."""
    ids = list(
        Order.objects.filter(organization=ctx.organization, entry_point="demo", source_quote__isnull=True)
        .exclude(internal_status=InternalStatus.CANCELLED)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    chosen = sorted(ctx.rng.sample(ids, min(wanted, len(ids))))
    found: list[Order] = []
    for batch in chunks(chosen, 1000):
        found.extend(Order.objects.filter(pk__in=batch).order_by("id"))
    return found


def generate_rfqs_and_quotes(ctx: ScaleContext, lists: list[Any]) -> None:
    total_rfqs = min(ctx.count(5000, minimum=5), len(lists))
    total_quotes = ctx.count(5000, minimum=5)
    accepted = _orders_to_accept(ctx, round(total_quotes * ACCEPTED_SHARE))
    answered = min(total_rfqs, total_quotes - len(accepted))  # the rest of the quotes answer RFQs
    today = timezone.localdate()
    rows = []
    for n, shopping_list in enumerate(ctx.rng.sample(lists, total_rfqs)):
        # RFQs that get no quote: two in three still submitted, one in three cancelled.
        status = "submitted" if n < answered or (n - answered) % 3 else "cancelled"
        rows.append({"shopping_list": shopping_list, "po_number": f"RFQ-{ctx.seed}-{n}", "status": status})
    rfqs: list[Any] = []
    ctx.progress("RFQs", 0, total_rfqs)
    for batch in chunks(rows, BATCH):
        rfqs.extend(rfqs_bulk_create(rows=batch, actor=None))
        ctx.progress("RFQs", len(rfqs), total_rfqs)
    quote_rows: list[dict[str, Any]] = [{"order": order} for order in accepted]
    for n, rfq in enumerate(rfqs[:answered]):
        status = QUOTE_STATUSES[n][0] if n < len(QUOTE_STATUSES) else _quote_status(ctx)
        if status == QuoteStatus.EXPIRED:
            valid_until = today - dt.timedelta(days=ctx.rng.randint(1, 365))
        else:
            valid_until = today + dt.timedelta(days=ctx.rng.randint(7, 60))
        quote_rows.append({"rfq": rfq, "status": status, "valid_until": valid_until})
    done = 0
    ctx.progress("quotes", 0, len(quote_rows))
    for batch in chunks(quote_rows, BATCH):
        done += len(quotes_bulk_create(rows=batch, actor=None))
        ctx.progress("quotes", done, len(quote_rows))


def _quote_status(ctx: ScaleContext) -> str:
    statuses = [status for status, _ in QUOTE_STATUSES]
    return str(ctx.rng.choices(statuses, weights=[weight for _, weight in QUOTE_STATUSES])[0])


def generate_documents(ctx: ScaleContext) -> None:
    buyers, products = _buyers(ctx), _products(ctx)
    if not buyers or not products:
        return
    lists = generate_shopping_lists(ctx, buyers, products)
    generate_rfqs_and_quotes(ctx, lists)


def register() -> None:
    scale_generators.register(
        "commerce.documents",
        ScaleGenerator("commerce.documents", "Shopping lists, RFQs and quotes", generate_documents, 23),
    )
