"""What the bridge's services share: names, the strategy, the commerce channel, account creation."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db.models import Q
from django.utils import timezone

from accord.commerce.models import Customer
from accord.crm.models import Account, Channel, ChannelStatus, CustomerAssociation
from accord.crm_commerce.models import CustomerOwnAccount
from accord.platform import audit
from accord.platform.models import User
from accord.platform.rows import insert_rows, instances_insert
from accord.platform.search import search_index_update
from accord.platform.services.settings import setting_get

SOURCE = "commerce.customer"  # the hub's source_type of commerce customers
CHANNEL_TYPE = "commerce"
STRATEGY_SETTING = "crm_commerce.account_strategy"
EACH, ROOT = "each", "root"
STRATEGIES = ((EACH, "For each commerce customer"), (ROOT, "Only for root commerce customers"))
BATCH = 1000


def current_strategy() -> str:
    value = setting_get(STRATEGY_SETTING)
    return value if value in (EACH, ROOT) else EACH


def hub_rows() -> Any:
    """The hub rows of commerce customers."""
    return CustomerAssociation.objects.filter(source_type=SOURCE)


def chunked(ids: Iterable[Any]) -> Iterator[list[Any]]:
    """Ids in batches, so that no IN list outgrows what a database takes (SQLite: 32,766)."""
    ids = list(ids)
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def links_of(customer_ids: Iterable[int]) -> dict[int, int]:
    """{customer id: account id} for the given customers that are linked (one query per 1,000)."""
    links: dict[int, int] = {}
    for chunk in chunked(customer_ids):
        links.update(hub_rows().filter(source_id__in=chunk).values_list("source_id", "account_id"))
    return links


def accounts_reindex(account_ids: Iterable[int]) -> None:
    """Search documents of accounts carry their customers' names: refresh them after links moved."""
    for chunk in chunked(sorted({pk for pk in account_ids if pk})):
        search_index_update(entity="crm.account", ids=chunk)


def commerce_channels(organization_ids: Iterable[int]) -> dict[int, int]:
    """The commerce channel of each organization, created active when missing (oro-spec #27, #40)."""
    from accord.crm.services.channels import channel_create

    wanted = set(organization_ids)
    found: dict[int, int] = {}
    rows = Channel.objects.filter(channel_type=CHANNEL_TYPE, organization_id__in=wanted)
    for org_id, pk, status in rows.order_by("organization_id", "id").values_list(
        "organization_id", "pk", "status"
    ):
        if org_id not in found or status == ChannelStatus.ACTIVE and _inactive(found[org_id]):
            found[org_id] = pk
    for org_id in sorted(wanted - set(found)):
        from accord.platform.models import Organization

        channel = channel_create(
            organization=Organization.objects.get(pk=org_id),
            name="Commerce",
            channel_type=CHANNEL_TYPE,
            status=ChannelStatus.ACTIVE,
            actor=None,
            allow_system=True,
        )
        found[org_id] = channel.pk
    return found


def _inactive(channel_id: int) -> bool:
    return Channel.objects.filter(pk=channel_id).exclude(status=ChannelStatus.ACTIVE).exists()


def _default_owner() -> User | None:
    from accord.commerce.services.registration import default_customer_owner
    from accord.platform.errors import Conflict

    try:
        return default_customer_owner()
    except Conflict:
        return None


def accounts_create(customers: Iterable[Customer], *, actor: Any, index: bool = True) -> dict[int, int]:
    """A new account named after each customer (oro-spec #15-#17): owner = the customer's owner, else
    the default customer owner; organization = the customer's. Set-based; audited and indexed.
    Returns {customer id: account id} and remembers each as the customer's own account."""
    customers = list(customers)
    if not customers:
        return {}
    needs_default = any(c.owner_id is None for c in customers)
    fallback = _default_owner() if needs_default else None
    owners = {u.pk: u for u in User.objects.filter(pk__in={c.owner_id for c in customers if c.owner_id})}
    now = timezone.now()
    accounts = []
    for customer in customers:
        owner = owners.get(customer.owner_id) if customer.owner_id else None
        if owner is None and fallback is not None and fallback.organization_id == customer.organization_id:
            owner = fallback
        unit_id = owner.business_unit_id if owner and owner.business_unit_id else customer.business_unit_id
        accounts.append(
            Account(
                name=customer.name,
                owner=owner,
                business_unit_id=unit_id,
                organization_id=customer.organization_id,
                created_at=now,
                updated_at=now,
            )
        )
    instances_insert(accounts)
    audit.record_bulk_create(instances=accounts, actor=actor)
    if index:
        accounts_reindex(a.pk for a in accounts)
    created = {c.pk: a.pk for c, a in zip(customers, accounts, strict=True)}
    own_accounts_remember(created)
    return created


def own_accounts_remember(accounts: Mapping[int, int | None]) -> None:
    """Upsert {customer id: account id} as the customers' own accounts."""
    if not accounts:
        return
    now = timezone.now()
    rows = [(c, a, now) for c, a in accounts.items()]
    insert_rows(
        CustomerOwnAccount, rows, ("customer_id", "account_id", "updated_at"), unique=("customer_id",)
    )


def hub_rows_create(links: Mapping[int, int], channels: Mapping[int, int], orgs: Mapping[int, int]) -> None:
    """Insert hub rows {customer id: account id}; `orgs` maps customer id → organization id."""
    now = timezone.now()
    insert_rows(
        CustomerAssociation,
        [
            (account_id, SOURCE, customer_id, channels.get(orgs[customer_id]), now, now)
            for customer_id, account_id in links.items()
        ],
        ("account", "source_type", "source_id", "channel", "created_at", "updated_at"),
    )


def existing_accounts(ids: Iterable[int | None]) -> set[int]:
    alive: set[int] = set()
    for chunk in chunked({pk for pk in ids if pk}):
        alive.update(Account.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    return alive


def not_linked() -> Q:
    return ~Q(pk__in=hub_rows().values("source_id"))
