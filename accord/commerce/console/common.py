"""Helpers shared by the commerce console resources."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.http import HttpRequest

from accord.platform import acl
from accord.platform.errors import ValidationFailed


def checked_owner(request: HttpRequest, entity: str, obj: Any, owner: Any) -> Any:
    """The new owner when it changes; giving a record to someone else needs the assign grant."""
    if owner is None or (obj is not None and owner.pk == obj.owner_id):
        return None
    if owner.pk != request.user.pk or obj is not None:
        acl.require(request.user, entity, "assign", obj)
    return owner


@contextmanager
def form_fields(mapping: dict[str, str]) -> Iterator[None]:
    """Rename a service's error fields to the form's (the console maps `x_id` to `x`, not `x_ids`)."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed(
            {mapping.get(name, name): messages for name, messages in exc.field_errors.items()}, exc.message
        ) from None
