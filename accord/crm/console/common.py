"""Helpers shared by the CRM console resources."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accord.platform import acl


def checked_owner(request: HttpRequest, entity: str, obj: Any, owner: Any) -> Any:
    """The new owner when it changes; giving a record to someone else needs the assign grant."""
    if owner is None or (obj is not None and owner.pk == obj.owner_id):
        return None
    if owner.pk != request.user.pk or obj is not None:
        acl.require(request.user, entity, "assign", obj)
    return owner
