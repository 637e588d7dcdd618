"""Schemas of the commerce API resources (passwords are write-only: no Out schema has one)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from ninja import Field, Schema
from pydantic import SerializerFunctionWrapHandler, create_model, field_serializer, model_serializer

from accord.commerce.models import StorefrontLevel
from accord.commerce.registries import OUTPUT_ATTRIBUTE, api_fields
from accord.platform.money import price_text

AddressType = Literal["billing", "shipping"]
LEVEL_NAMES = {level: level.name.lower() for level in StorefrontLevel}


class AddressIn(Schema):
    label: str = Field("", max_length=255)
    street: str = Field(..., max_length=500)
    street2: str = Field("", max_length=500)
    city: str = Field(..., max_length=255)
    postal_code: str = Field("", max_length=32)
    region: str = Field("", max_length=255)
    country: str = Field(..., description="ISO 3166-1 alpha-2 code.")
    types: list[AddressType] = []
    default_types: list[AddressType] = Field([], description="At most one default address per type.")


class AddressOut(Schema):
    id: int
    label: str
    street: str
    street2: str
    city: str
    postal_code: str
    region: str
    country: str
    types: list[str]
    default_types: list[str]


class _Owned(Schema):
    owner_id: int | None
    business_unit_id: int
    organization_id: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CustomerOut(_Owned):
    id: int
    name: str
    parent_id: int | None
    root_id: int | None
    depth: int
    path: str
    group_id: int | None
    sales_representative_ids: list[int]
    internal_rating: str
    payment_term: str
    tax_code: str
    external_id: str | None
    addresses: list[AddressOut]

    @staticmethod
    def resolve_sales_representative_ids(obj: Any) -> list[int]:
        return [user.pk for user in obj.sales_representatives.all()]

    @staticmethod
    def resolve_addresses(obj: Any) -> list[Any]:
        return list(obj.addresses.all())

    # What the customer extensions add (accord.commerce.registries): merged into the output.
    extensions: dict[str, Any] = Field(default_factory=dict, exclude=True)

    @staticmethod
    def resolve_extensions(obj: Any) -> dict[str, Any]:
        return getattr(obj, OUTPUT_ATTRIBUTE, None) or {}

    @model_serializer(mode="wrap")
    def _with_extensions(self, handler: SerializerFunctionWrapHandler):  # type: ignore[no-untyped-def]
        # No return annotation: with one, pydantic would document the output as that type instead
        # of the fields.
        data = handler(self)
        data.update(self.extensions)
        return data


class CustomerIn(Schema):
    name: str
    parent_id: int | None = None
    group_id: int | None = None
    owner_id: int | None = Field(None, description="Default: the caller.")
    sales_representative_ids: list[int] = []
    internal_rating: str = Field("", description="1_of_5 … 5_of_5, or empty.")
    payment_term: str = Field("", description="prepaid, net_15, net_30, net_60, net_90; empty: the group's.")
    tax_code: str = Field("", max_length=64)
    external_id: str | None = None
    addresses: list[AddressIn] = []


class CustomerPatchIn(Schema):
    name: str | None = None
    parent_id: int | None = Field(None, description="null makes the customer a root.")
    group_id: int | None = None
    owner_id: int | None = None
    sales_representative_ids: list[int] | None = None
    internal_rating: str | None = None
    payment_term: str | None = None
    tax_code: str | None = Field(None, max_length=64)
    external_id: str | None = None
    addresses: list[AddressIn] | None = Field(None, description="Replaces all the addresses.")


def customer_schemas() -> tuple[type[CustomerOut], type[CustomerIn], type[CustomerPatchIn]]:
    """The customer schemas with the keys of the extensions registered at startup, so that OpenAPI
    documents them (an extension registered later still works: its keys are read from the body)."""
    built = []
    for base, kind in ((CustomerOut, "output"), (CustomerIn, "input"), (CustomerPatchIn, "input")):
        fields = api_fields(kind)
        clash = set(fields) & (set(base.model_fields) | {"extensions"})
        if clash:
            raise ImproperlyConfigured(f"Customer extensions redefine {sorted(clash)} of {base.__name__}")
        built.append(create_model(base.__name__, __base__=base, **fields))  # type: ignore[call-overload]
    return built[0], built[1], built[2]


class CustomerGroupOut(_Owned):
    id: int
    name: str
    payment_term: str
    tax_code: str


class CustomerGroupIn(Schema):
    name: str
    payment_term: str = ""
    tax_code: str = Field("", max_length=64)
    owner_id: int | None = None


class CustomerGroupPatchIn(Schema):
    name: str | None = None
    payment_term: str | None = None
    tax_code: str | None = Field(None, max_length=64)
    owner_id: int | None = None


class CustomerUserOut(_Owned):
    id: int
    email: str
    name_prefix: str
    first_name: str
    middle_name: str
    last_name: str
    name_suffix: str
    birthday: dt.date | None
    customer_id: int
    role_ids: list[int]
    enabled: bool
    confirmed: bool
    is_guest: bool
    last_login: dt.datetime | None
    addresses: list[AddressOut]

    @staticmethod
    def resolve_role_ids(obj: Any) -> list[int]:
        return [role.pk for role in obj.roles.all()]

    @staticmethod
    def resolve_addresses(obj: Any) -> list[Any]:
        return list(obj.addresses.all())


class CustomerUserIn(Schema):
    email: str
    first_name: str
    last_name: str
    customer_id: int
    role_ids: list[int] = Field(..., description="At least one role.")
    password: str | None = Field(None, description="Write-only. Without one the user cannot log in yet.")
    name_prefix: str = ""
    middle_name: str = ""
    name_suffix: str = ""
    birthday: dt.date | None = None
    enabled: bool = True
    confirmed: bool = True
    is_guest: bool = False
    owner_id: int | None = None
    addresses: list[AddressIn] = []


class CustomerUserPatchIn(Schema):
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    customer_id: int | None = None
    role_ids: list[int] | None = None
    password: str | None = Field(None, description="Write-only.")
    name_prefix: str | None = None
    middle_name: str | None = None
    name_suffix: str | None = None
    birthday: dt.date | None = None
    enabled: bool | None = None
    confirmed: bool | None = None
    is_guest: bool | None = None
    owner_id: int | None = None
    addresses: list[AddressIn] | None = None


LevelName = Literal["none", "user", "department", "corporate"]


class CustomerUserRoleOut(Schema):
    id: int
    role: str
    label: str
    customer_id: int | None
    self_managed: bool
    public: bool
    is_predefined: bool
    grants: dict[str, dict[str, str]]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_grants(obj: Any) -> dict[str, dict[str, str]]:
        result: dict[str, dict[str, str]] = {}
        for grant in obj.grants.all():
            result.setdefault(grant.entity, {})[grant.action] = LEVEL_NAMES[StorefrontLevel(grant.level)]
        return result


class CustomerUserRoleIn(Schema):
    label: str
    customer_id: int | None = Field(None, description="null: a role shared by every customer.")
    self_managed: bool = False
    public: bool = True
    grants: dict[str, dict[str, LevelName]] = Field(
        {},
        description='{"commerce.order": {"view": "corporate"}}; levels: none, user, department, corporate.',
    )


class CustomerUserRolePatchIn(Schema):
    label: str | None = None
    self_managed: bool | None = None
    public: bool | None = None
    grants: dict[str, dict[str, LevelName]] | None = None


class PriceSchema(Schema):
    """A price: the amount as a decimal string (at least two decimals) and an ISO 4217 currency."""

    amount: Decimal
    currency: str = Field(..., min_length=3, max_length=3)

    @field_serializer("amount")
    def _amount(self, value: Decimal) -> str:
        return price_text(value)


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    unit_price: PriceSchema
    status: str
    organization_id: int
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_unit_price(obj: Any) -> dict[str, Any]:
        return {"amount": obj.unit_price, "currency": obj.currency}


class ProductIn(Schema):
    sku: str
    name: str
    unit_price: PriceSchema
    status: Literal["enabled", "disabled"] = "enabled"


class ProductPatchIn(Schema):
    sku: str | None = None
    name: str | None = None
    unit_price: PriceSchema | None = None
    status: Literal["enabled", "disabled"] | None = None
