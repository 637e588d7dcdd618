"""Schemas of the platform's API resources."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import field_serializer

from accord.platform.money import amount_text


class MoneySchema(Schema):
    """An amount in a currency; the amount is a decimal string ("12.50")."""

    amount: Decimal
    currency: str = Field(..., min_length=3, max_length=3)

    @field_serializer("amount")
    def _amount(self, value: Decimal) -> str:
        return amount_text(value)


class CurrencyRateOut(Schema):
    id: int
    currency: str
    rate: str
    valid_from: dt.date

    @staticmethod
    def resolve_rate(obj: Any) -> str:
        return str(obj.rate)


class CurrencyRateIn(Schema):
    currency: str = Field(..., min_length=3, max_length=3)
    rate: Decimal = Field(..., gt=0)
    valid_from: dt.date


class UserOut(Schema):
    id: int
    username: str
    email: str
    first_name: str
    last_name: str
    title: str
    phone: str
    is_active: bool
    business_unit_id: int | None
    organization_id: int | None
    role_ids: list[int]
    last_login: dt.datetime | None
    date_joined: dt.datetime

    @staticmethod
    def resolve_role_ids(obj: Any) -> list[int]:
        return [role.pk for role in obj.roles.all()]


class UserCreateIn(Schema):
    username: str = Field(..., max_length=150)
    password: str
    email: str = ""
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    business_unit_id: int
    role_ids: list[int] = []
    is_active: bool = True


class UserPatchIn(Schema):
    email: str | None = None
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    title: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=50)
    business_unit_id: int | None = None
    role_ids: list[int] | None = None
    is_active: bool | None = None


class BusinessUnitOut(Schema):
    id: int
    name: str
    parent_id: int | None
    organization_id: int
    email: str
    phone: str
    path: str


class BusinessUnitIn(Schema):
    name: str = Field(..., max_length=255)
    parent_id: int | None = None
    email: str = ""
    phone: str = Field("", max_length=50)


class BusinessUnitPatchIn(Schema):
    name: str | None = Field(None, max_length=255)
    parent_id: int | None = None
    email: str | None = None
    phone: str | None = Field(None, max_length=50)


class RoleOut(Schema):
    id: int
    name: str
    label: str
    description: str
    is_administrator: bool
    is_predefined: bool
    grants: dict[str, dict[str, int]]

    @staticmethod
    def resolve_grants(obj: Any) -> dict[str, dict[str, int]]:
        result: dict[str, dict[str, int]] = {}
        for perm in obj.permissions.all():
            result.setdefault(perm.entity, {})[perm.action] = perm.level
        return result


class RoleIn(Schema):
    label: str = Field(..., max_length=255)
    description: str = ""
    grants: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="entity -> action -> level (0 none ... 4 organization)"
    )


class RolePatchIn(Schema):
    label: str | None = Field(None, max_length=255)
    description: str | None = None
    grants: dict[str, dict[str, int]] | None = None


class SettingOut(Schema):
    key: str
    section: str
    label: str
    type: str
    value: Any
    default: Any
    help: str
    choices: list[str]


class SettingsPatchIn(Schema):
    values: dict[str, Any]


class JobErrorOut(Schema):
    row: str
    field: str
    message: str


class JobOut(Schema):
    id: int
    type: str
    label: str
    status: str
    done: int
    total: int | None
    percent: int
    params: dict[str, Any]
    result: Any = None
    error: str
    error_count: int
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None


class JobDetailOut(JobOut):
    errors: list[JobErrorOut]

    @staticmethod
    def resolve_errors(obj: Any) -> list[Any]:
        return list(obj.errors.all()[:500])


class SearchHitOut(Schema):
    entity: str
    entity_label: str
    id: int = Field(..., alias="object_id")
    title: str
    text: str
    url: str | None


class SearchOut(Schema):
    count: int
    items: list[SearchHitOut]


class HistoryEntryOut(Schema):
    id: int
    action: str
    at: dt.datetime
    actor_id: int | None
    actor: str = Field(..., alias="actor_label")
    changes: dict[str, Any]


class ActivityOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    target_entity: str
    target_id: int
    due_at: dt.datetime | None
    status: str
    direction: str
    duration_minutes: int | None
    happened_at: dt.datetime
    owner_id: int | None


class ActivityIn(Schema):
    kind: str
    subject: str = Field(..., max_length=255)
    body: str = ""
    target_entity: str
    target_id: int
    due_at: dt.datetime | None = None
    direction: str = ""
    duration_minutes: int | None = Field(None, ge=0)
    happened_at: dt.datetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
