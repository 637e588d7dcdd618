"""Menu visibility of channel-gated entities (oro-spec §2.10, #90; decision 0011).

An entity that some channel type brings (business customers, leads, opportunities, ...) shows in
the menu only when an active channel of the user's organization lists it. Use
`MenuItem(..., permission=channel_gate("crm.lead"))`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.crm.registries import channel_entities
from accord.crm.selectors.accounts import channel_enabled_entities


def entity_enabled(request: Any, entity: str) -> bool:
    """The organization's channels are read once per request (`organization_channels`)."""
    if entity not in channel_entities():
        return True
    organization_id = getattr(request.user, "organization_id", None)
    return entity in channel_enabled_entities(organization_id, request=request)


def channel_gate(entity: str) -> Callable[[Any], bool]:
    """A `MenuItem.permission` that hides the item while no active channel lists the entity."""

    def permission(request: Any) -> bool:
        return entity_enabled(request, entity)

    return permission
