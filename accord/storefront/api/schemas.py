"""Schemas of the storefront API (no console owner, no password ever read back)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import field_serializer

from accord.commerce.models import StorefrontLevel
from accord.platform.api.schemas import MoneySchema
from accord.platform.money import decimal_text

LEVEL_NAMES = {int(level): level.name.lower() for level in StorefrontLevel}


def money(amount: Decimal, currency: str) -> dict[str, Any]:
    return {"amount": amount, "currency": currency}


class _Quantity(Schema):
    quantity: Decimal

    @field_serializer("quantity")
    def _quantity(self, value: Decimal) -> str:
        return decimal_text(value)


class CustomerUserOut(Schema):
    id: int
    email: str
    name_prefix: str
    first_name: str
    middle_name: str
    last_name: str
    name_suffix: str
    customer_id: int
    customer_name: str
    role_ids: list[int]
    enabled: bool
    confirmed: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_customer_name(obj: Any) -> str:
        return obj.customer.name

    @staticmethod
    def resolve_role_ids(obj: Any) -> list[int]:
        return [role.pk for role in obj.roles.all()]


class MeOut(CustomerUserOut):
    grants: dict[str, dict[str, str]] = Field(
        ..., description="entity -> action -> level (none, user, department, corporate)"
    )


class MePatchIn(Schema):
    name_prefix: str | None = Field(None, max_length=64)
    first_name: str | None = None
    middle_name: str | None = Field(None, max_length=255)
    last_name: str | None = None
    name_suffix: str | None = Field(None, max_length=64)


class PasswordIn(Schema):
    current_password: str
    password: str


class InviteIn(Schema):
    customer_id: int | None = Field(None, description="Default: your own customer.")
    email: str
    first_name: str
    last_name: str
    role_ids: list[int] = Field([], description="Self-managed roles, besides the default role.")


class CustomerUserPatchIn(Schema):
    enabled: bool | None = None
    role_ids: list[int] | None = Field(None, description="The self-managed roles (others are kept).")


class ItemOut(_Quantity):
    id: int
    product_id: int
    sku: str
    name: str

    @staticmethod
    def resolve_sku(obj: Any) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj.product.name


class ShoppingListOut(Schema):
    id: int
    name: str
    customer_id: int
    customer_user_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class NameIn(Schema):
    name: str


class ItemIn(Schema):
    product_id: int
    quantity: Decimal = Decimal(1)


class QuantityIn(Schema):
    quantity: Decimal


class RfqLineOut(_Quantity):
    id: int
    product_id: int | None
    sku: str
    name: str


class RfqOut(Schema):
    id: int
    customer_id: int
    customer_user_id: int | None
    shopping_list_id: int | None
    po_number: str
    note: str
    status: str
    created_at: dt.datetime
    lines: list[RfqLineOut]

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class RfqIn(Schema):
    shopping_list_id: int
    po_number: str = ""
    note: str = ""


class PricedLineOut(RfqLineOut):
    unit_price: MoneySchema
    total: MoneySchema

    @staticmethod
    def resolve_unit_price(obj: Any) -> dict[str, Any]:
        return money(obj.unit_price, _currency(obj))

    @staticmethod
    def resolve_total(obj: Any) -> dict[str, Any]:
        return money(obj.total, _currency(obj))


def _currency(line: Any) -> str:
    return line.quote.currency if hasattr(line, "quote_id") else line.order.currency


class QuoteOut(Schema):
    id: int
    rfq_id: int | None
    customer_id: int
    customer_user_id: int | None
    po_number: str
    subtotal: MoneySchema
    status: str
    valid_until: dt.date | None
    accepted_at: dt.datetime | None
    created_at: dt.datetime
    lines: list[PricedLineOut]

    @staticmethod
    def resolve_subtotal(obj: Any) -> dict[str, Any]:
        return money(obj.subtotal, obj.currency)

    @staticmethod
    def resolve_status(obj: Any) -> str:
        return str(obj.effective_status)

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())


class OrderOut(Schema):
    id: int
    identifier: str
    po_number: str
    customer_id: int
    customer_user_id: int | None
    subtotal: MoneySchema
    discount: MoneySchema
    total: MoneySchema
    paid: MoneySchema
    refunded: MoneySchema
    internal_status: str
    payment_status: str
    source_quote_id: int | None
    created_at: dt.datetime
    lines: list[PricedLineOut]

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
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())
