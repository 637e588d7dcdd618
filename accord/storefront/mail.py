"""Mails to customer users (through Django's email backend: files under the data directory by
default, SMTP with ACCORD_EMAIL_URL)."""

from __future__ import annotations

from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from accord.commerce.models import CustomerUser
from accord.storefront import tokens


def _send(request: HttpRequest, user: CustomerUser, template: str, subject: str, link: str) -> None:
    context = {"user": user, "link": request.build_absolute_uri(link), "subject": subject}
    body = render_to_string(f"storefront/mail/{template}.txt", context)
    send_mail(subject, body, None, [user.email])


def send_confirmation(request: HttpRequest, user: CustomerUser) -> None:
    link = reverse("storefront:confirm", args=[tokens.confirmation_token(user)])
    _send(request, user, "confirm", "Confirm your email address", link)


def _password_link(user: CustomerUser) -> str:
    return reverse("storefront:password_set", args=[tokens.uid_of(user), tokens.password_token(user)])


def send_password_reset(request: HttpRequest, user: CustomerUser) -> None:
    _send(request, user, "password_reset", "Reset your password", _password_link(user))


def send_invitation(request: HttpRequest, user: CustomerUser, inviter: CustomerUser) -> None:
    link = _password_link(user)
    context = {"user": user, "inviter": inviter, "link": request.build_absolute_uri(link)}
    body = render_to_string("storefront/mail/invitation.txt", context)
    send_mail(f"{inviter.full_name} invited you to buy for {user.customer.name}", body, None, [user.email])
