"""Commerce documents' share of `accord demo --scale S`: products, then orders with 2 lines each
(200,000 per unit of scale, as `accord demo --help` says) in USD, EUR and GBP with mixed payment
states, created set-based by `orders_bulk_create` for the customers the customer generators made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accord.commerce.models import CustomerUser, Product
from accord.commerce.services.bulk_orders import orders_bulk_create
from accord.platform.generate import ScaleContext, ScaleGenerator, chunks, scale_generators
from accord.platform.models import CurrencyRate
from accord.platform.money import base_currency, currency_rate_set
from accord.platform.rows import instances_insert

BATCH = 2000
CURRENCIES = ("USD", "EUR", "GBP")
PRODUCTS = 40


def _products(ctx: ScaleContext) -> list[Product]:
    existing = list(Product.objects.filter(organization=ctx.organization, sku__startswith="GEN-"))
    if len(existing) >= PRODUCTS:
        return existing
    instances_insert(
        Product(
            organization=ctx.organization,
            sku=f"GEN-{n:04d}",
            name=f"{ctx.rng.choice(('Steel', 'Oak', 'Paper', 'Copper', 'Glass'))} item {n}",
            unit_price=Decimal(ctx.rng.randint(100, 50_000)) / 100,
            currency="USD",
        )
        for n in range(len(existing), PRODUCTS)
    )
    return list(Product.objects.filter(organization=ctx.organization, sku__startswith="GEN-"))


def _rates(ctx: ScaleContext) -> None:
    for code, rate in (("EUR", Decimal("1.08")), ("GBP", Decimal("1.27")), ("USD", Decimal("1"))):
        if code != base_currency() and not CurrencyRate.objects.filter(currency=code).exists():
            currency_rate_set(
                currency=code, rate=rate, valid_from=timezone.localdate() - dt.timedelta(days=3650)
            )


def _payment(ctx: ScaleContext, total: Decimal) -> tuple[Decimal, Decimal]:
    """(paid, refunded): about half paid in full, a fifth partly, some refunded."""
    roll = ctx.rng.random()
    if roll < 0.5:
        return total, Decimal(0)
    if roll < 0.7:
        return (total / 2).quantize(Decimal("0.01")), Decimal(0)
    if roll < 0.8:
        return total, (total / 3).quantize(Decimal("0.01"))
    return Decimal(0), Decimal(0)


def generate_orders(ctx: ScaleContext) -> None:
    customer_ids = ctx.shared.get("customer_ids") or []
    if not customer_ids:
        return
    _rates(ctx)
    products = _products(ctx)
    buyers = dict(CustomerUser.objects.filter(customer_id__in=customer_ids).values_list("customer_id", "id"))
    customers = {c.pk: c for c in ctx.shared.get("customers") or []}
    total = ctx.count(200_000, minimum=10)
    done = 0
    ctx.progress("orders", 0, total)
    for batch in chunks(list(range(total)), BATCH):
        rows = []
        for n in batch:
            customer_id = customer_ids[n % len(customer_ids)]
            a, b = ctx.rng.sample(products, 2)
            qa, qb = ctx.rng.randint(1, 5), ctx.rng.randint(1, 5)
            subtotal = (a.unit_price * qa + b.unit_price * qb).quantize(Decimal("0.01"))
            paid, refunded = _payment(ctx, subtotal)
            rows.append(
                {
                    "customer": customers[customer_id],
                    "customer_user_id": buyers.get(customer_id),
                    "currency": CURRENCIES[n % len(CURRENCIES)],
                    "po_number": f"PO-{ctx.seed}-{n}",
                    # The list price as the unit price in every currency (the products are USD).
                    "lines": [
                        {"product": a, "quantity": qa, "unit_price": a.unit_price},
                        {"product": b, "quantity": qb, "unit_price": b.unit_price},
                    ],
                    "paid": paid,
                    "refunded": refunded,
                }
            )
        orders_bulk_create(rows=rows, owner=ctx.admin, entry_point="demo", actor=None)
        done += len(batch)
        ctx.progress("orders", done, total)


def register() -> None:
    scale_generators.register(
        "commerce.orders", ScaleGenerator("commerce.orders", "Orders with payments", generate_orders, 22)
    )
