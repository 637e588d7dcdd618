"""Storefront API authentication: the customer user's storefront session, with CSRF."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie

from accord.storefront.auth import customer_user_of


class CustomerSession(APIKeyCookie):
    """The session cookie of a logged-in customer user (console sessions do not count)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return customer_user_of(request)
