"""Reads of the account view and the account API: bounded queries whatever the data size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import QuerySet

from accord.crm.models import Account, Channel, Contact, CustomerAssociation
from accord.crm.registries import customer_sources
from accord.platform import acl
from accord.platform.statements import Statement

T = TypeVar("T")


def account_contacts(
    user: Any, account: Account, *, limit: int | None = None, only: tuple[str, ...] = ()
) -> list[Contact]:
    """The account's contacts the user may view (one query); `only` the named columns, if given."""
    qs: QuerySet[Contact] = acl.visible(user, "crm.contact", account.contacts.all()).order_by(
        "last_name", "first_name", "pk"
    )
    if only:
        qs = qs.only(*only)
    return list(qs[:limit] if limit else qs)


@dataclass
class CustomerLink:
    association_id: int
    source_type: str
    source_label: str
    source_id: int
    name: str
    url: str | None


@dataclass
class ChannelLinks:
    channel_id: int | None
    channel_name: str
    channel_type: str
    links: list[CustomerLink] = field(default_factory=list)


def _per_request(request: Any, attribute: str, key: Any, compute: Callable[[], T]) -> T:
    """`compute()` once per request and key (every time when there is no request)."""
    if request is None:
        return compute()
    cached: dict[Any, Any] = request.__dict__.setdefault(attribute, {})
    if key not in cached:
        cached[key] = compute()
    return cached[key]  # type: ignore[no-any-return]


def account_customer_links(user: Any, account: Account, *, request: Any = None) -> list[ChannelLinks]:
    """The customer records linked to the account through the hub, grouped by channel (ordered by
    type then name; records without channel last). One query for the hub rows, then one per
    customer source type (ACL of that source applied); rows of unknown types are left out. Once per
    request when given one: the account view's panel and its channel sections read the same links."""
    return _per_request(
        request, "_crm_account_customer_links", account.pk, lambda: _customer_links(user, account)
    )


_LINKS = Statement(
    CustomerAssociation,
    lambda account: (
        CustomerAssociation.objects.filter(account_id=account, source_type__isnull=False)
        .order_by("id")
        .values_list("id", "source_type", "source_id", "channel_id", "channel__name", "channel__channel_type")
    ),
)


def _customer_links(user: Any, account: Account) -> list[ChannelLinks]:
    rows = _LINKS.rows(account=account.pk)
    by_type: dict[str, list[int]] = defaultdict(list)
    for _, source_type, source_id, *_ in rows:
        by_type[source_type].append(int(source_id or 0))
    described = {
        key: customer_sources.get(key).fetch(ids, user)
        for key, ids in by_type.items()
        if key in customer_sources
    }
    groups: dict[int | None, ChannelLinks] = {}
    for pk, source_type, source_id, channel_id, channel_name, channel_type in rows:
        record = described.get(source_type, {}).get(int(source_id or 0))
        if record is None:
            continue
        group = groups.get(channel_id)
        if group is None:
            group = groups[channel_id] = ChannelLinks(channel_id, channel_name or "", channel_type or "")
        source = customer_sources.get(source_type)
        group.links.append(CustomerLink(pk, source.key, source.label, record.id, record.name, record.url))
    return sorted(groups.values(), key=lambda g: (g.channel_id is None, g.channel_type, g.channel_name))


def account_delete_impact(account: Account) -> dict[str, int]:
    """Counts of what a delete touches: contacts unlinked (kept), customer links removed, and records
    hanging off the account's hub rows (opportunities, leads, ...) that go with them."""
    impact = {
        "contacts": account.contacts.count(),
        "customer_links": CustomerAssociation.objects.filter(
            account=account, source_type__isnull=False
        ).count(),
    }
    from django.db.models import CASCADE

    from accord.crm.services.associations import dependent_relations

    for rel in dependent_relations():
        model: Any = rel.related_model
        count = model._default_manager.filter(**{f"{rel.field.name}__account": account}).count()
        if count:
            impact[str(model._meta.verbose_name_plural)] = count
    for rel in Account._meta.related_objects:
        model = rel.related_model
        if rel.one_to_many and rel.on_delete is CASCADE and model is not CustomerAssociation:
            count = model._default_manager.filter(**{rel.field.name: account}).count()
            if count:
                key = str(model._meta.verbose_name_plural)
                impact[key] = impact.get(key, 0) + count
    return impact


_CHANNELS = Statement(
    Channel,
    lambda organization: Channel.objects.filter(organization_id=organization).order_by(
        "channel_type", "name", "pk"
    ),
)


def organization_channels(organization_id: Any, *, request: Any = None) -> list[Channel]:
    """The organization's channels by type, then name (one query; once per request when given one:
    the menu's channel gate and the account view's sections read the same rows)."""

    def read() -> list[Channel]:
        return [] if organization_id is None else _CHANNELS.instances(organization=int(organization_id))

    return _per_request(request, "_crm_organization_channels", organization_id, read)


def channel_enabled_entities(organization_id: Any, *, request: Any = None) -> set[str]:
    """Entity keys listed by an active channel of the organization."""
    listed: set[str] = set()
    for channel in organization_channels(organization_id, request=request):
        if channel.status == "active":
            listed.update(channel.entities or [])
    return listed
