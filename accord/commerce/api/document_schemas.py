"""Schemas of the document resources: shopping lists, RFQs, quotes, orders, payments, refunds.

Money is {"amount": "12.50", "currency": "EUR"}; unit prices use `PriceSchema` (up to 4 decimals);
quantities are decimal strings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_serializer

from accord.commerce.api.schemas import PriceSchema, _Owned
from accord.platform.api.schemas import MoneySchema
from accord.platform.money import decimal_text


def money(amount: Any, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


class _Quantity(Schema):
    quantity: Decimal

    @field_serializer("quantity")
    def _quantity(self, value: Decimal) -> str:
        return decimal_text(value)


class _Document(_Owned):
    id: int
    customer_id: int
    customer_user_id: int | None


class ShoppingListLineOut(_Quantity):
    id: int
    product_id: int
    sku: str
    name: str
    unit_price: PriceSchema

    @staticmethod
    def resolve_sku(obj: Any) -> str:
        return str(obj.product.sku)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.product.name)

    @staticmethod
    def resolve_unit_price(obj: Any) -> dict[str, Any]:
        return money(obj.product.unit_price, obj.product.currency)


class ShoppingListOut(_Document):
    name: str
    lines: list[ShoppingListLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class ShoppingListIn(Schema):
    customer_user_id: int
    name: str


class ShoppingListPatchIn(Schema):
    name: str


class ShoppingListLineIn(Schema):
    product_id: int
    quantity: Decimal = Field(..., description="Added to the line when the product is on the list already.")


class ShoppingListLinePatchIn(Schema):
    quantity: Decimal


class _DocumentLine(_Quantity):
    id: int
    product_id: int | None
    sku: str
    name: str


class RfqLineOut(_DocumentLine):
    target_price: PriceSchema | None

    @staticmethod
    def resolve_target_price(obj: Any) -> dict[str, Any] | None:
        return money(obj.target_price, obj.currency) if obj.target_price is not None else None


class RfqOut(_Document):
    shopping_list_id: int | None
    po_number: str
    note: str
    status: str
    lines: list[RfqLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class RfqIn(Schema):
    shopping_list_id: int
    customer_user_id: int | None = Field(None, description="Default: the shopping list's owner.")
    po_number: str = ""
    note: str = ""


class QuoteFromRfqIn(Schema):
    prices: dict[int, Decimal] = Field({}, description="Unit price per RFQ line id; default the product's.")
    currency: str | None = Field(None, description="Default: the products' common currency, else the base.")
    valid_until: dt.date | None = None
    send: bool = Field(True, description="false: keep it a draft.")


class QuoteLineOut(_DocumentLine):
    unit_price: PriceSchema
    total: MoneySchema

    @staticmethod
    def resolve_unit_price(obj: Any) -> dict[str, Any]:
        return money(obj.unit_price, obj.quote.currency)

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, Any]:
        return money(obj.total, obj.quote.currency)


class QuoteOut(_Document):
    rfq_id: int | None
    po_number: str
    status: Literal["draft", "sent", "accepted", "expired"]
    valid_until: dt.date | None
    subtotal: MoneySchema
    created_by_id: int | None
    accepted_at: dt.datetime | None
    lines: list[QuoteLineOut]

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.effective_status)

    @staticmethod
    def resolve_subtotal(obj: Any) -> dict[str, Any]:
        return money(obj.subtotal, obj.currency)

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class OrderLineOut(_DocumentLine):
    unit_price: PriceSchema
    total: MoneySchema

    @staticmethod
    def resolve_unit_price(obj: Any) -> dict[str, Any]:
        return money(obj.unit_price, obj.order.currency)

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, Any]:
        return money(obj.total, obj.order.currency)


class OrderOut(_Document):
    identifier: str
    po_number: str
    currency: str
    subtotal: MoneySchema
    discount: MoneySchema
    total: MoneySchema
    paid: MoneySchema
    refunded: MoneySchema
    outstanding: MoneySchema
    internal_status: str
    payment_status: str
    source_quote_id: int | None
    lines: list[OrderLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_subtotal(obj: Any) -> dict[str, Any]:
        return money(obj.subtotal, obj.currency)

    @staticmethod
    def resolve_discount(obj: Any) -> dict[str, Any]:
        return money(obj.discount, obj.currency)

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, Any]:
        return money(obj.total, obj.currency)

    @staticmethod
    def resolve_paid(obj: Any) -> dict[str, Any]:
        return money(obj.paid_amount, obj.currency)

    @staticmethod
    def resolve_refunded(obj: Any) -> dict[str, Any]:
        return money(obj.refunded_amount, obj.currency)

    @staticmethod
    def resolve_outstanding(obj: Any) -> dict[str, Any]:
        return money(obj.outstanding, obj.currency)


class OrderLineIn(Schema):
    product_id: int | None = None
    quantity: Decimal
    unit_price: PriceSchema | None = Field(None, description="Default: the product's price (same currency).")
    sku: str | None = Field(None, description="For a line without a product.")
    name: str | None = None


class OrderLinePatchIn(Schema):
    quantity: Decimal | None = None
    unit_price: PriceSchema | None = Field(None, description="In the order's currency.")


class OrderIn(Schema):
    customer_id: int
    customer_user_id: int | None = None
    currency: str = Field(..., min_length=3, max_length=3)
    po_number: str = ""
    discount: MoneySchema | None = None
    lines: list[OrderLineIn]
    owner_id: int | None = Field(None, description="Default: the caller.")


class OrderPatchIn(Schema):
    customer_id: int | None = Field(None, description="Moves the order to another customer.")
    internal_status: Literal["open", "processing", "shipped", "closed", "cancelled"] | None = None


class PaymentIn(Schema):
    amount: Decimal = Field(..., description="In the order's currency; at most the outstanding amount.")
    at: dt.datetime | None = Field(None, description="Default: now.")


class RefundIn(Schema):
    amount: Decimal = Field(..., description="At most what was paid and not yet refunded.")
    at: dt.datetime | None = Field(None, description="Default: now.")


class PaymentOut(Schema):
    """A payment or refund; `base_amount` is its value in the base currency at the rate of its day."""

    id: int
    order_id: int
    amount: MoneySchema
    at: dt.datetime
    base_rate: str
    base_amount: MoneySchema
    recorded_by_id: int | None
    recorded_by_label: str

    @staticmethod
    def resolve_amount(obj: Any) -> dict[str, Any]:
        return money(obj.amount, obj.currency)

    @staticmethod
    def resolve_base_rate(obj: Any) -> str:
        return decimal_text(obj.base_rate)

    @staticmethod
    def resolve_base_amount(obj: Any) -> dict[str, Any]:
        from accord.platform.money import base_currency

        return money(obj.base_amount, getattr(obj, "base_currency", None) or base_currency())
