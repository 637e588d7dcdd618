"""Schemas of /api/v1/business-customers, leads, opportunities, forecast and lifetime value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from accord.platform.api.schemas import MoneySchema


class _Owned(Schema):
    owner_id: int | None
    business_unit_id: int
    organization_id: int
    created_at: dt.datetime
    updated_at: dt.datetime


class EmailIn(Schema):
    email: str = Field(..., max_length=255)
    primary: bool = False


class PhoneIn(Schema):
    phone: str = Field(..., max_length=64)
    primary: bool = False


class EmailOut(Schema):
    email: str
    primary: bool

    @staticmethod
    def resolve_primary(obj: Any) -> bool:
        return bool(obj.is_primary)


class PhoneOut(Schema):
    phone: str
    primary: bool

    @staticmethod
    def resolve_primary(obj: Any) -> bool:
        return bool(obj.is_primary)


class AddressIn(Schema):
    kind: Literal["billing", "shipping", "other"] = "other"
    street: str = Field(..., max_length=500)
    street2: str = Field("", max_length=500)
    city: str = Field(..., max_length=255)
    postal_code: str = Field("", max_length=32)
    region: str = Field("", max_length=255)
    country: str = Field(..., description="ISO 3166-1 alpha-2 code.")
    primary: bool = False


class AddressOut(Schema):
    kind: str
    street: str
    street2: str
    city: str
    postal_code: str
    region: str
    country: str
    primary: bool

    @staticmethod
    def resolve_primary(obj: Any) -> bool:
        return bool(obj.is_primary)


def _money(amount: Any, currency: str) -> MoneySchema | None:
    if amount is None or not currency:
        return None
    return MoneySchema(amount=Decimal(amount), currency=currency)


# --- business customers --------------------------------------------------------------------------
class BusinessCustomerOut(_Owned):
    id: int
    name: str
    account_id: int
    contact_id: int | None
    channel_id: int
    customer_association_id: int | None
    lifetime: MoneySchema
    emails: list[EmailOut]
    phones: list[PhoneOut]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_lifetime(obj: Any) -> MoneySchema:
        from accord.platform.money import base_currency

        return MoneySchema(amount=obj.lifetime, currency=base_currency())

    @staticmethod
    def resolve_customer_association_id(obj: Any) -> int | None:
        return getattr(obj, "hub_id", None)

    @staticmethod
    def resolve_emails(obj: Any) -> list[Any]:
        return list(obj.emails.all())

    @staticmethod
    def resolve_phones(obj: Any) -> list[Any]:
        return list(obj.phones.all())

    @staticmethod
    def resolve_addresses(obj: Any) -> list[Any]:
        return list(obj.addresses.all())


class BusinessCustomerPatchIn(Schema):
    name: str | None = None
    account_id: int | None = None
    channel_id: int | None = None
    contact_id: int | None = None
    owner_id: int | None = None
    emails: list[EmailIn] | None = Field(None, description="Replaces all; one primary.")
    phones: list[PhoneIn] | None = Field(None, description="Replaces all; one primary.")
    addresses: list[AddressIn] | None = Field(
        None, description="At most one billing and one shipping address."
    )


class BusinessCustomerIn(BusinessCustomerPatchIn):
    name: str  # type: ignore[assignment]
    account_id: int  # type: ignore[assignment]
    channel_id: int  # type: ignore[assignment]


# --- leads ---------------------------------------------------------------------------------------
class LeadOut(_Owned):
    id: int
    name: str
    name_prefix: str
    first_name: str
    middle_name: str
    last_name: str
    name_suffix: str
    company_name: str
    job_title: str
    website: str
    status: str
    source: str
    notes: str
    customer_association_id: int | None
    account_id: int | None
    contact_id: int | None
    emails: list[EmailOut]
    phones: list[PhoneOut]
    addresses: list[AddressOut]

    @staticmethod
    def resolve_account_id(obj: Any) -> int | None:
        return obj.customer_association.account_id if obj.customer_association_id else None

    @staticmethod
    def resolve_emails(obj: Any) -> list[Any]:
        return list(obj.emails.all())

    @staticmethod
    def resolve_phones(obj: Any) -> list[Any]:
        return list(obj.phones.all())

    @staticmethod
    def resolve_addresses(obj: Any) -> list[Any]:
        return list(obj.addresses.all())


class LeadPatchIn(Schema):
    name: str | None = None
    name_prefix: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    name_suffix: str | None = None
    company_name: str | None = None
    job_title: str | None = None
    website: str | None = None
    status: str | None = Field(None, description="new, qualified or disqualified.")
    source: str | None = Field(None, description="call, tv, website, email, referral, other, or empty.")
    notes: str | None = None
    account_id: int | None = Field(None, description="Attach to an account (its own hub row).")
    customer_association_id: int | None = Field(None, description="Or to any customer through its hub row.")
    contact_id: int | None = None
    owner_id: int | None = None
    emails: list[EmailIn] | None = None
    phones: list[PhoneIn] | None = None
    addresses: list[AddressIn] | None = None


class LeadIn(LeadPatchIn):
    name: str  # type: ignore[assignment]


class LeadConvertIn(Schema):
    account_id: int | None = Field(None, description="An existing account; empty: a new one.")
    account_name: str | None = Field(None, description="Name of the new account (default: the company).")
    contact_id: int | None = Field(None, description="An existing contact; empty: a new one from the lead.")
    create_contact: bool = True
    opportunity_name: str | None = None
    budget: MoneySchema | None = None
    allow_duplicates: bool = Field(False, description="Create the account/contact even when a match exists.")


# --- opportunities -------------------------------------------------------------------------------
class OpportunityOut(_Owned):
    id: int
    name: str
    status: str
    status_label: str
    probability: Decimal | None = Field(None, description="Percent, 0–100.")
    budget: MoneySchema | None
    base_budget: MoneySchema | None = Field(None, description="Fixed when the opportunity closes.")
    close_revenue: MoneySchema | None
    base_close_revenue: MoneySchema | None
    close_date: dt.date | None
    closed_at: dt.datetime | None
    close_reason: str
    customer_association_id: int | None
    account_id: int | None
    customer_type: str | None = Field(None, description="The customer source, null for the account itself.")
    customer_id: int | None = Field(None, description="The customer record's id in its source.")
    contact_id: int | None
    lead_id: int | None
    customer_need: str
    proposed_solution: str
    notes: str

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_budget(obj: Any) -> MoneySchema | None:
        return _money(obj.budget_amount, obj.budget_currency)

    @staticmethod
    def resolve_close_revenue(obj: Any) -> MoneySchema | None:
        return _money(obj.close_revenue_amount, obj.close_revenue_currency)

    @staticmethod
    def resolve_base_budget(obj: Any) -> MoneySchema | None:
        from accord.platform.money import base_currency

        return _money(obj.base_budget_amount, base_currency())

    @staticmethod
    def resolve_base_close_revenue(obj: Any) -> MoneySchema | None:
        from accord.platform.money import base_currency

        return _money(obj.base_close_revenue_amount, base_currency())

    @staticmethod
    def resolve_account_id(obj: Any) -> int | None:
        return obj.customer_association.account_id if obj.customer_association_id else None

    @staticmethod
    def resolve_customer_type(obj: Any) -> str | None:
        return obj.customer_association.source_type if obj.customer_association_id else None

    @staticmethod
    def resolve_customer_id(obj: Any) -> int | None:
        return obj.customer_association.source_id if obj.customer_association_id else None


class OpportunityPatchIn(Schema):
    name: str | None = None
    status: str | None = None
    probability: Decimal | None = Field(None, description="Percent, 0–100; default: the status's.")
    budget: MoneySchema | None = None
    close_revenue: MoneySchema | None = None
    close_date: dt.date | None = None
    close_reason: str | None = Field(None, description="outsold, won or cancelled.")
    account_id: int | None = Field(None, description="For the account itself…")
    customer_association_id: int | None = Field(None, description="…or for any customer (its hub row)…")
    customer_type: str | None = Field(
        None, description="…or for a customer record of a source (e.g. `crm.business_customer`)…"
    )
    customer_id: int | None = Field(None, description="…with its id (give both).")
    contact_id: int | None = None
    lead_id: int | None = None
    customer_need: str | None = None
    proposed_solution: str | None = None
    notes: str | None = None
    owner_id: int | None = None


class OpportunityIn(OpportunityPatchIn):
    name: str  # type: ignore[assignment]


class CloseWonIn(Schema):
    close_date: dt.date | None = None
    close_revenue: MoneySchema | None = Field(None, description="Default: the budget.")


class CloseLostIn(Schema):
    close_date: dt.date | None = None
    close_reason: str | None = Field(None, description="outsold, won or cancelled.")


class LeadConvertOut(Schema):
    opportunity: OpportunityOut
    account_id: int
    contact_id: int | None


# --- forecast and lifetime value -----------------------------------------------------------------
class ForecastFigures(Schema):
    in_progress: int
    total: MoneySchema
    weighted: MoneySchema
    indeterminate_total: MoneySchema
    indeterminate_weighted: MoneySchema


class ForecastOut(ForecastFigures):
    date_from: dt.date | None
    date_to: dt.date | None
    owner_ids: list[int]
    compare_to: dt.datetime | None = None
    then: ForecastFigures | None = Field(None, description="The figures as they were at `compare_to`.")
    deviation: dict[str, dict[str, Any]] | None = None


class LifetimeRecordOut(Schema):
    entity: str
    id: int
    name: str
    amount: str
    currency: str
    parent_id: int | None


class LifetimeChannelOut(Schema):
    channel_id: int | None
    channel_name: str
    channel_type: str | None
    value: MoneySchema
    records: list[LifetimeRecordOut]


class LifetimeHistoryOut(Schema):
    channel_id: int | None
    amount: MoneySchema
    is_current: bool
    created_at: dt.datetime


class LifetimeValueOut(Schema):
    account_id: int
    total: MoneySchema
    channels: list[LifetimeChannelOut]
    history: list[LifetimeHistoryOut]
