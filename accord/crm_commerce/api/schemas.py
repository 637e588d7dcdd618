"""Schemas of the bridge's API."""

from __future__ import annotations

from ninja import Schema

from accord.platform.api.schemas import JobOut


class StrategyOut(Schema):
    strategy: str
    choices: list[str]


class StrategyIn(Schema):
    strategy: str


class StrategySwitchOut(Schema):
    strategy: str
    job: JobOut | None


class MoveOut(Schema):
    customer_id: int
    customer_name: str
    from_account_id: int
    from_account_name: str
    to_account_id: int | None
    to_account_name: str
    new_account: bool


class UnlinkedOut(Schema):
    customer_id: int
    customer_name: str


class PreviewOut(Schema):
    strategy: str
    current_strategy: str
    accounts_to_create: int
    customers_to_move: int
    customers_to_link: int
    moves: list[MoveOut]
    unlinked: list[UnlinkedOut]


class CustomerAccountOut(Schema):
    customer_id: int
    account_id: int | None
    account_name: str | None
    customer_association_id: int | None  # the hub row opportunities and leads of the customer use


class CustomerAccountIn(Schema):
    account_id: int


class AccountCustomerOut(Schema):
    id: int
    name: str
    parent_id: int | None
    root_id: int | None
    channel_id: int | None
