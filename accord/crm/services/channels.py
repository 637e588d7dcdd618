"""Channels: sources of customer data of a registered type (oro-spec §1.4, §2.10)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from accord.crm.models import Channel, ChannelStatus
from accord.crm.registries import channel_types
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import Organization


def _clean(
    *, name: str, channel_type: str, customer_identity: str, entities: Sequence[str]
) -> tuple[str, str, list[str]]:
    """A custom channel may leave the identity empty (its customers are the accounts themselves)."""
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "A name is required."
    elif len(name) > 250:
        errors["name"] = "At most 250 characters."
    cleaned = list(dict.fromkeys(e.strip() for e in entities if e and e.strip()))
    for entity in cleaned:
        if len(entity) > 100:
            errors["entities"] = "Entity names have at most 100 characters."
    required = channel_type not in channel_types or bool(channel_types.get(channel_type).customer_identity)
    if not customer_identity and required:
        errors["customer_identity"] = "A customer identity is required."
    elif customer_identity and customer_identity not in cleaned:
        errors["customer_identity"] = "The customer identity must be one of the channel's entities."  # #89
    if errors:
        raise ValidationFailed(errors)
    return name, customer_identity, cleaned


def channel_create(
    *,
    organization: Organization,
    name: str,
    channel_type: str,
    actor: Any,
    status: str = ChannelStatus.INACTIVE,
    customer_identity: str | None = None,
    entities: Sequence[str] | None = None,
    allow_system: bool = False,
) -> Channel:
    """Create a channel. System types (commerce, magento) are created by their module only
    (`allow_system=True`); the console and the API never pass it (oro-spec #91)."""
    if channel_type not in channel_types:
        raise ValidationFailed({"channel_type": f"Choose one of: {', '.join(channel_types.keys())}."})
    definition = channel_types.get(channel_type)
    if definition.system and not allow_system:
        raise ValidationFailed({"channel_type": f"{definition.label} channels are created by their module."})
    if status not in ChannelStatus.values:
        raise ValidationFailed({"status": f"Choose one of: {', '.join(ChannelStatus.values)}."})
    identity = customer_identity if customer_identity is not None else definition.customer_identity
    listed = list(entities) if entities is not None else list(definition.entities)
    if identity and identity not in listed and entities is None:
        listed.insert(0, identity)
    name, identity, listed = _clean(
        name=name, channel_type=channel_type, customer_identity=identity, entities=listed
    )
    with transaction.atomic():
        channel = Channel.objects.create(
            name=name,
            channel_type=channel_type,
            status=status,
            customer_identity=identity,
            entities=listed,
            organization=organization,
        )
        audit.record_create(instance=channel, actor=actor)
    return channel


def channel_update(
    *,
    channel: Channel,
    actor: Any,
    name: str | None = None,
    status: str | None = None,
    customer_identity: str | None = None,
    entities: Sequence[str] | None = None,
) -> Channel:
    """Change what is given; the type of a channel never changes."""
    if status is not None and status not in ChannelStatus.values:
        raise ValidationFailed({"status": f"Choose one of: {', '.join(ChannelStatus.values)}."})
    new_name, identity, listed = _clean(
        name=channel.name if name is None else name,
        channel_type=channel.channel_type,
        customer_identity=channel.customer_identity if customer_identity is None else customer_identity,
        entities=channel.entities if entities is None else entities,
    )
    with transaction.atomic():
        channel = Channel.objects.select_for_update().get(pk=channel.pk)
        with audit.tracking(channel, actor=actor):
            channel.name = new_name
            channel.customer_identity = identity
            channel.entities = listed
            if status is not None:
                channel.status = status
            channel.save()
    return channel


def channel_activate(*, channel: Channel, active: bool, actor: Any) -> Channel:
    return channel_update(
        channel=channel, actor=actor, status=ChannelStatus.ACTIVE if active else ChannelStatus.INACTIVE
    )


def channel_delete(*, channel: Channel, actor: Any) -> None:
    """Delete a channel: hub rows keep their account (channel cleared); data of the channel that other
    modules keep (lifetime value history) goes with it through their foreign keys (oro-spec #92)."""
    with transaction.atomic():
        audit.record_delete(instance=channel, actor=actor)
        channel.delete()
