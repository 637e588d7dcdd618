"""Storefront log-in throttling: after `AXES_FAILURE_LIMIT` failures of one (email, address) pair
within the cool-off time, that pair is refused until the cool-off has passed (decision 0041).

Kept in the database rather than the cache so that every web process sees the same count (the
embedded default's cache is per process)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from accord.storefront.models import LoginFailure


def _window() -> dt.timedelta:
    return dt.timedelta(hours=float(settings.AXES_COOLOFF_TIME))


def client_address(request: object) -> str:
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR") or "unknown")[:45]


def is_locked(email: str, address: str) -> bool:
    since = timezone.now() - _window()
    failures = LoginFailure.objects.filter(
        email_lower=email.strip().lower(), ip_address=address, at__gte=since
    )
    return failures.count() >= int(settings.AXES_FAILURE_LIMIT)


def record_failure(email: str, address: str) -> None:
    now = timezone.now()
    email = email.strip().lower()[:255]
    LoginFailure.objects.filter(email_lower=email, ip_address=address, at__lt=now - _window()).delete()
    LoginFailure.objects.create(email_lower=email, ip_address=address, at=now)


def reset(email: str, address: str) -> None:
    LoginFailure.objects.filter(email_lower=email.strip().lower(), ip_address=address).delete()
