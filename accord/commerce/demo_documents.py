"""Demo documents: for every demo customer a few orders in USD, EUR and GBP with mixed payment
states (pending, partially paid, paid in full, refunded, cancelled), and for the customers with
buyers a shopping list, an RFQ and a quote. Idempotent: nothing happens when demo orders exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.commerce.models import Customer, CustomerUser, Order, Product
from accord.commerce.services.orders import order_create
from accord.commerce.services.payments import order_cancel, order_payment_record, order_refund_record
from accord.commerce.services.quotes import quote_create_from_rfq, rfq_submit
from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
from accord.platform.models import CurrencyRate, Organization, User
from accord.platform.money import base_currency, currency_rate_set

RATES = {"USD": Decimal("1"), "EUR": Decimal("1.08"), "GBP": Decimal("1.27")}  # in USD
# (currency, what happens after placing): the i-th customer takes the rows from i on, three of them
PLANS = (
    ("USD", "paid"),
    ("EUR", "partial"),
    ("GBP", "pending"),
    ("USD", "refunded"),
    ("EUR", "paid"),
    ("GBP", "cancelled"),
    ("USD", "partially_refunded"),
)


def _ensure_rates() -> None:
    """Rates for the demo currencies (relative to the base currency), from a year ago on."""
    base = base_currency()
    since = timezone.localdate() - dt.timedelta(days=365)
    for code, in_usd in RATES.items():
        if code == base or CurrencyRate.objects.filter(currency=code).exists():
            continue
        rate = in_usd / RATES.get(base, Decimal(1))
        currency_rate_set(currency=code, rate=rate.quantize(Decimal("0.000001")), valid_from=since)


def _settle(order: Order, plan: str, admin: User) -> None:
    half = (order.total / 2).quantize(Decimal("0.01"))
    if plan in ("paid", "refunded", "partially_refunded"):
        order_payment_record(order=order, amount=order.total, actor=admin)
    if plan == "partial":
        order_payment_record(order=order, amount=half, actor=admin)
    if plan == "refunded":
        order_refund_record(order=order, amount=order.total, actor=admin)
    if plan == "partially_refunded":
        order_refund_record(order=order, amount=half, actor=admin)
    if plan == "cancelled":
        order_cancel(order=order, actor=admin)


def _orders(
    customer: Customer, buyer: CustomerUser | None, products: list[Product], index: int, admin: User
) -> None:
    for n in range(3):
        currency, plan = PLANS[(index + n) % len(PLANS)]
        factor = RATES["USD"] / RATES[currency]
        lines = [
            {
                "product": product,
                "quantity": 1 + (index + n + k) % 4,
                "unit_price": (product.unit_price * factor).quantize(Decimal("0.01")),
            }
            for k, product in enumerate(products[(index + n) % len(products) :][:2] or products[:2])
        ]
        order = order_create(
            customer=customer,
            customer_user=buyer,
            lines=lines,
            currency=currency,
            po_number=f"PO-{customer.pk}-{n + 1}",
            discount=Decimal("5.00") if n == 1 else Decimal("0"),
            owner=customer.owner,
            entry_point="demo",
            actor=admin,
        )
        _settle(order, plan, admin)


def _quote_flow(buyer: CustomerUser, products: list[Product], admin: User) -> None:
    shopping_list = shopping_list_create(customer_user=buyer, name="Monthly office supplies", actor=buyer)
    for quantity, product in enumerate(products[:3], start=2):
        shopping_list_item_add(shopping_list=shopping_list, product=product, quantity=quantity, actor=buyer)
    rfq = rfq_submit(shopping_list=shopping_list, customer_user=buyer, po_number="RFQ-DEMO", actor=buyer)
    quote_create_from_rfq(rfq=rfq, actor=admin, valid_until=timezone.localdate() + dt.timedelta(days=30))


def load(*, organization: Organization, admin: User, **_: Any) -> None:
    if Order.objects.filter(organization=organization, entry_point="demo").exists():
        return
    products = list(Product.objects.filter(organization=organization).order_by("sku"))
    customers = list(
        Customer.objects.filter(organization=organization, external_id__startswith="demo-").order_by("pk")
    )
    if not products or not customers:
        return
    _ensure_rates()
    buyers: dict[int, CustomerUser] = {}
    for user in CustomerUser.objects.filter(customer__in=customers).order_by("pk"):
        buyers.setdefault(user.customer_id, user)
    for index, customer in enumerate(customers):
        _orders(customer, buyers.get(customer.pk), products, index, admin)
    for buyer in list(buyers.values())[:3]:
        _quote_flow(buyer, products, admin)
