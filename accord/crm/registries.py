"""Extension points the CRM offers to the other apps (which `crm` never imports).

- `customer_sources`: customer records of any channel that an account aggregates through the
  customer association hub (business customers here, commerce customers through the bridge, ...).
- `channel_types`: the kinds of channel that can be created, with the entities each brings.
- `account_view_sections`: what the account view renders for a channel of a given type.
- `opportunity_view_sections`: what the opportunity view renders for other modules (quotes, ...).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as django_apps
from django.db import models
from django.urls import NoReverseMatch

from accord.platform import acl
from accord.platform.console.url_cache import url_for
from accord.platform.registries import Registry
from accord.platform.statements import rows_by_id


@dataclass(frozen=True)
class SourceRecord:
    """What the account view, the API and merges need to show one customer record."""

    id: int
    name: str
    url: str | None
    account_id: int | None


@dataclass(frozen=True)
class CustomerSource:
    """A kind of customer record that the hub can link to an account.

    `fetch(ids, user)` returns the records in one compiled query, narrowed by the ACL of `entity`
    (tested on each row's ownership columns) when a user is given; `name_field`/`account_field`
    say how to read the default one; `records` may replace it entirely (a callable
    `(ids, user) -> {id: SourceRecord}`).
    """

    key: str  # "crm.business_customer"
    label: str
    model: str  # "crm.BusinessCustomer"
    entity: str | None = None  # ACL entity key; None = no ACL of its own
    name_field: str = "name"
    account_field: str | None = None  # a column of the record holding its account id, if any
    view_url_name: str | None = None  # console URL name taking `pk`
    records: Callable[[Iterable[int], Any], dict[int, SourceRecord]] | None = None

    def get_model(self) -> type[models.Model]:
        return django_apps.get_model(self.model)

    def fetch(self, ids: Iterable[int], user: Any = None) -> dict[int, SourceRecord]:
        ids = list(ids)
        if not ids:
            return {}
        if self.records is not None:
            return self.records(ids, user)
        entity = self.entity if user is not None else None  # the ACL applies when a user asks
        account = (f"{self.account_field}_id",) if self.account_field else ()
        columns = ("pk", self.name_field, *account, *(acl.ownership_columns(entity) if entity else ()))
        result = {}
        may_view = acl.row_checker(user, entity, "view") if entity else None
        for pk, name, *rest in rows_by_id(self.get_model(), columns).rows(ids=ids):
            if may_view and not may_view(*rest[len(account) :]):
                continue
            result[pk] = SourceRecord(
                id=pk, name=str(name), url=self._url(pk), account_id=rest[0] if account else None
            )
        return result

    def _url(self, pk: Any) -> str | None:
        if not self.view_url_name:
            return None
        try:
            return url_for(self.view_url_name, pk)
        except NoReverseMatch:
            return None


customer_sources: Registry[CustomerSource] = Registry("customer sources")


@dataclass(frozen=True)
class ChannelType:
    """A kind of channel. `system` types are created by their module, never in the console or API."""

    key: str  # "b2b"
    label: str
    customer_identity: str = ""  # entity key of the customer record; "" = chosen per channel
    entities: tuple[str, ...] = ()  # entity keys a channel of this type brings by default
    system: bool = False
    priority: int = 100
    lifetime_value: bool = False  # customers of this type carry a lifetime value


channel_types: Registry[ChannelType] = Registry("channel types")


def channel_entities() -> set[str]:
    """Every entity some channel type brings: the ones the menu hides when no active channel lists them."""
    keys: set[str] = set()
    for channel_type in channel_types:
        keys.update(channel_type.entities)
        if channel_type.customer_identity:
            keys.add(channel_type.customer_identity)
    return keys


@dataclass(frozen=True)
class AccountViewSection:
    """Renders, on the account view, the part that a channel of `channel_type` brings.

    `render(account, channel, request)` returns HTML, or "" / None to leave the section out.
    """

    key: str
    channel_type: str
    render: Callable[[Any, Any, Any], str | None]
    title: str = ""  # default: the channel's name
    order: int = 100


account_view_sections: Registry[AccountViewSection] = Registry("account view sections")


@dataclass(frozen=True)
class OpportunityViewSection:
    """Renders a part of the opportunity view that another module brings.

    `render(opportunity, request)` returns HTML, or "" / None to leave the section out.
    """

    key: str
    title: str
    render: Callable[[Any, Any], str | None]
    order: int = 100


opportunity_view_sections: Registry[OpportunityViewSection] = Registry("opportunity view sections")


def register_channel_types() -> None:
    for channel_type in (
        ChannelType("custom", "Custom", priority=10),
        ChannelType(
            "b2b",
            "Business to business",
            customer_identity="crm.business_customer",
            entities=("crm.business_customer", "crm.lead", "crm.opportunity"),
            priority=20,
            lifetime_value=True,
        ),
    ):
        channel_types.register(channel_type.key, channel_type)


@dataclass(frozen=True)
class LifetimeExplainer:
    """Explains an account's lifetime value in the channels of one type: the records behind it.

    `explain(account, channel, user)` returns dicts {"entity", "id", "name", "amount", "currency",
    "url"} (amount in the base currency), narrowed by what the user may view.
    """

    key: str
    channel_type: str
    explain: Callable[[Any, Any, Any], list[dict[str, Any]]]


lifetime_explainers: Registry[LifetimeExplainer] = Registry("lifetime explainers")


# Models ("app_label.Model") with a foreign key to crm.Account whose rows are derived data that
# their owner recomputes when accounts are merged or a merge is undone (signals `accounts_merged`,
# `merge_undone`): a merge does not move their rows; the merged accounts' rows go with them and
# undo puts them back as they were. Every other foreign key to an account is moved to the master.
merge_derived_models: set[str] = {"crm.LifetimeValueHistory"}
