"""Personal API tokens: created (shown once), stored as a digest, revoked."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.platform.errors import NotFound, ValidationFailed
from accord.platform.models import ApiToken, User

TOKEN_PREFIX = "acc_"


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for a user; returns the record and the raw token, which is never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed({"name": "A token needs a name."})
    if len(name) > 100:
        raise ValidationFailed({"name": "At most 100 characters."})
    if not user.is_active:
        raise ValidationFailed({"user": "The user is disabled."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=raw[:12], digest=token_digest(raw))
    return token, raw


def token_revoke(*, user: User, token_id: int, actor: Any = None) -> ApiToken:
    """Revoke one of the user's tokens; it stops working at once."""
    with transaction.atomic():
        try:
            token = ApiToken.objects.select_for_update().get(pk=token_id, user=user)
        except ApiToken.DoesNotExist:
            raise NotFound(f"Token {token_id} was not found.") from None
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
    return token


def token_authenticate(raw: str) -> User | None:
    """The active user behind an active token, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
