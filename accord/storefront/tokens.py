"""Signed links for customer users: email confirmation, password reset and invitations."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accord.commerce.models import CustomerUser

CONFIRM_SALT = "accord.storefront.confirm"
CONFIRM_MAX_AGE = 7 * 24 * 3600


class CustomerUserTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset tokens over a customer user: invalid once the password or a log-in changes."""

    key_salt = "accord.storefront.password"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{login}{timestamp}{user.email_lower}{user.enabled}"


_generator = CustomerUserTokenGenerator()


def password_token(customer_user: CustomerUser) -> str:
    return _generator.make_token(cast(Any, customer_user))


def password_token_valid(customer_user: CustomerUser, token: str) -> bool:
    return _generator.check_token(cast(Any, customer_user), token)


def uid_of(customer_user: CustomerUser) -> str:
    return urlsafe_base64_encode(force_bytes(customer_user.pk))


def user_from_uid(uidb64: str) -> CustomerUser | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return CustomerUser.objects.filter(pk=pk).first()


def confirmation_token(customer_user: CustomerUser) -> str:
    return signing.dumps({"u": customer_user.pk, "e": customer_user.email_lower}, salt=CONFIRM_SALT)


def user_from_confirmation(token: str) -> CustomerUser | None:
    """The user a confirmation link names, if the link is genuine, recent and still for its email."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    user = CustomerUser.objects.filter(pk=data.get("u")).first()
    if user is None or user.email_lower != data.get("e"):
        return None
    return user
