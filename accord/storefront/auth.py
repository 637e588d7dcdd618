"""Storefront sessions of customer users, separate from Django's auth (console users).

The session holds the customer user's id and a hash of its password: a password change elsewhere
ends the other sessions. Log-in rotates the session key. `request.customer_user` is set by
`customer_user_of` (used by the `customer_login_required` decorator and the storefront API auth).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accord.commerce.models import CustomerUser
from accord.storefront import throttle

SESSION_KEY = "storefront_customer_user_id"
HASH_KEY = "storefront_customer_user_hash"
_CACHE_ATTR = "_storefront_customer_user"


@dataclass(frozen=True)
class StorefrontActor:
    """Who did a storefront write, for the audit (a customer user is not a console user)."""

    label: str
    organization_id: int | None = None
    customer_user_id: int | None = None
    pk = None

    def __str__(self) -> str:
        return self.label


def actor_for(customer_user: CustomerUser | None) -> StorefrontActor:
    if customer_user is None:
        return StorefrontActor("Storefront visitor")
    return StorefrontActor(
        f"{customer_user.full_name} <{customer_user.email}> (storefront)",
        customer_user.organization_id,
        customer_user.pk,
    )


def _password_hash(customer_user: CustomerUser) -> str:
    return salted_hmac("accord.storefront.session", customer_user.password, algorithm="sha256").hexdigest()


class LoginRefused(Exception):
    """Wrong credentials, a disabled or unconfirmed user, or too many failures."""

    def __init__(self, message: str, *, locked: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.locked = locked


BAD_CREDENTIALS = "Wrong email or password."


def authenticate(request: HttpRequest, email: str, password: str) -> CustomerUser:
    """Check the credentials (throttled per email and address) or raise LoginRefused."""
    address = throttle.client_address(request)
    if throttle.is_locked(email, address):
        raise LoginRefused("Too many failed log-ins. Try again later or reset your password.", locked=True)
    user = CustomerUser.objects.filter(email_lower=(email or "").strip().lower()).first()
    if user is None or not password or not user.check_password(password):
        throttle.record_failure(email or "", address)
        raise LoginRefused(BAD_CREDENTIALS)
    if not user.enabled:
        raise LoginRefused("This user is disabled. Ask your company's administrator.")
    if not user.confirmed:
        raise LoginRefused("Confirm your email address first: follow the link in the mail we sent you.")
    throttle.reset(email, address)
    return user


def login(request: HttpRequest, customer_user: CustomerUser) -> None:
    """Start a storefront session (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = customer_user.pk
    request.session[HASH_KEY] = _password_hash(customer_user)
    CustomerUser.objects.filter(pk=customer_user.pk).update(last_login=timezone.now())
    setattr(request, _CACHE_ATTR, customer_user)
    request.customer_user = customer_user  # type: ignore[attr-defined]


def logout(request: HttpRequest) -> None:
    """End the storefront session only (a console session in the same browser stays)."""
    request.session.pop(SESSION_KEY, None)
    request.session.pop(HASH_KEY, None)
    request.session.cycle_key()
    setattr(request, _CACHE_ATTR, None)
    request.customer_user = None  # type: ignore[attr-defined]


def keep_session_after_password_change(request: HttpRequest, customer_user: CustomerUser) -> None:
    request.session[HASH_KEY] = _password_hash(customer_user)


def customer_user_of(request: HttpRequest) -> CustomerUser | None:
    """The logged-in, enabled customer user of this request (one query, cached on the request)."""
    if hasattr(request, _CACHE_ATTR):
        return getattr(request, _CACHE_ATTR)
    user = None
    pk = request.session.get(SESSION_KEY)
    if pk is not None:
        user = CustomerUser.objects.select_related("customer").filter(pk=pk, enabled=True).first()
        if user is not None and not constant_time_compare(
            request.session.get(HASH_KEY, ""), _password_hash(user)
        ):
            user = None
        if user is None:
            request.session.pop(SESSION_KEY, None)
            request.session.pop(HASH_KEY, None)
    setattr(request, _CACHE_ATTR, user)
    request.customer_user = user  # type: ignore[attr-defined]
    return user


View = Callable[..., HttpResponse]


def customer_login_required(view: View) -> View:
    """Pages for logged-in customer users; others go to the log-in page and come back."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if customer_user_of(request) is None:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('storefront:login')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper
