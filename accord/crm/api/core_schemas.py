"""Schemas of /api/v1/accounts, contacts, contact-groups and channels."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

AddressType = Literal["billing", "shipping"]


class _Owned(Schema):
    owner_id: int | None
    business_unit_id: int
    organization_id: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj)


class AccountOut(_Owned):
    id: int
    name: str
    description: str
    external_id: str | None
    default_contact_id: int | None
    referred_by_id: int | None
    contact_ids: list[int]

    @staticmethod
    def resolve_contact_ids(obj: Any) -> list[int]:
        return sorted(c.pk for c in obj.contacts.all())


class CustomerLinkOut(Schema):
    association_id: int
    source_type: str
    source_label: str
    source_id: int
    name: str
    url: str | None


class ChannelLinksOut(Schema):
    channel_id: int | None
    channel_name: str
    channel_type: str
    links: list[CustomerLinkOut]


class AccountDetailOut(AccountOut):
    contacts: list[ContactRef] = Field(..., description="The contacts the caller may view.")
    customers: list[ChannelLinksOut] = Field(
        ..., description="Customer records linked through the hub, grouped by channel (read-only)."
    )

    @staticmethod
    def resolve_contact_ids(obj: Any) -> list[int]:
        return sorted(c.pk for c in obj.visible_contacts)

    @staticmethod
    def resolve_contacts(obj: Any) -> list[Any]:
        return list(obj.visible_contacts)

    @staticmethod
    def resolve_customers(obj: Any) -> list[Any]:
        return list(obj.customer_links)


class AccountIn(Schema):
    name: str
    owner_id: int | None = Field(None, description="Default: the caller.")
    default_contact_id: int | None = None
    referred_by_id: int | None = None
    description: str = ""
    external_id: str | None = None
    contact_ids: list[int] = []


class AccountPatchIn(Schema):
    name: str | None = None
    owner_id: int | None = None
    default_contact_id: int | None = None
    referred_by_id: int | None = None
    description: str | None = None
    external_id: str | None = None
    contact_ids: list[int] | None = None


class EmailItem(Schema):
    email: str
    primary: bool = False


class PhoneItem(Schema):
    phone: str
    primary: bool = False


class ContactAddressIn(Schema):
    label: str = ""
    street: str = ""
    street2: str = ""
    city: str = ""
    postal_code: str = ""
    region: str = ""
    country: str = Field("", description="ISO 3166-1 alpha-2 code.")
    types: list[AddressType] = Field([], description="Each type is carried by at most one address.")
    primary: bool = False


class ContactAddressOut(ContactAddressIn):
    id: int
    types: list[str]

    @staticmethod
    def resolve_types(obj: Any) -> list[str]:
        return obj.types


_TEXT = (
    "name_prefix first_name middle_name last_name name_suffix job_title description fax skype twitter "
    "facebook linkedin google_plus"
).split()


class ContactOut(_Owned):
    id: int
    name_prefix: str
    first_name: str
    middle_name: str
    last_name: str
    name_suffix: str
    gender: str
    birthday: dt.date | None
    job_title: str
    source: str
    method: str
    assigned_to_id: int | None
    reports_to_id: int | None
    description: str
    fax: str
    skype: str
    twitter: str
    facebook: str
    linkedin: str
    google_plus: str
    primary_email: str
    primary_phone: str
    emails: list[EmailItem]
    phones: list[PhoneItem]
    addresses: list[ContactAddressOut]
    group_ids: list[int]
    account_ids: list[int]

    @staticmethod
    def resolve_emails(obj: Any) -> list[Any]:
        return list(obj.emails.all())

    @staticmethod
    def resolve_phones(obj: Any) -> list[Any]:
        return list(obj.phones.all())

    @staticmethod
    def resolve_addresses(obj: Any) -> list[Any]:
        return list(obj.addresses.all())

    @staticmethod
    def resolve_group_ids(obj: Any) -> list[int]:
        return sorted(g.pk for g in obj.groups.all())

    @staticmethod
    def resolve_account_ids(obj: Any) -> list[int]:
        return sorted(a.pk for a in obj.accounts.all())


Gender = Literal["", "male", "female"]


class ContactPatchIn(Schema):
    name_prefix: str | None = None
    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    name_suffix: str | None = None
    gender: str | None = Field(None, description="male or female (empty: unknown).")
    birthday: dt.date | None = None
    job_title: str | None = None
    source: str | None = Field(None, description="call, tv, website or other.")
    method: str | None = Field(None, description="phone, email or mail.")
    owner_id: int | None = None
    assigned_to_id: int | None = None
    reports_to_id: int | None = None
    description: str | None = None
    fax: str | None = None
    skype: str | None = None
    twitter: str | None = None
    facebook: str | None = None
    linkedin: str | None = None
    google_plus: str | None = None
    emails: list[EmailItem] | None = Field(None, description="Exactly one primary when non-empty.")
    phones: list[PhoneItem] | None = Field(None, description="Exactly one primary when non-empty.")
    addresses: list[ContactAddressIn] | None = Field(None, description="Exactly one primary when non-empty.")
    group_ids: list[int] | None = None
    account_ids: list[int] | None = None


class ContactIn(ContactPatchIn):
    """A contact needs a first name, a last name, an email or a phone."""


class ContactGroupOut(_Owned):
    id: int
    label: str


class ContactGroupIn(Schema):
    label: str
    owner_id: int | None = None


class ContactGroupPatchIn(Schema):
    label: str | None = None
    owner_id: int | None = None


class ChannelOut(Schema):
    id: int
    name: str
    channel_type: str
    status: str
    customer_identity: str
    entities: list[str]
    organization_id: int
    created_at: dt.datetime
    updated_at: dt.datetime


class ChannelIn(Schema):
    name: str
    channel_type: str = Field(..., description="A registered, non-system channel type (custom, b2b, ...).")
    status: Literal["active", "inactive"] = "inactive"
    customer_identity: str | None = Field(None, description="Default: the type's.")
    entities: list[str] | None = Field(None, description="Default: the type's.")


class ChannelPatchIn(Schema):
    name: str | None = None
    status: Literal["active", "inactive"] | None = None
    customer_identity: str | None = None
    entities: list[str] | None = None
