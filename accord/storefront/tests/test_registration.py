"""Storefront registration and email confirmation (oro-spec #63, #64, #65, and #9, #11, #12)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.dispatch import receiver

from accord.commerce import signals
from accord.commerce.models import Customer, CustomerUser
from accord.platform.services.settings import setting_set
from accord.storefront.tests.conftest import STRONG

FORM = {
    "company_name": "Acme Widgets",
    "first_name": "Rita",
    "last_name": "Register",
    "email": "rita@acme.example",
    "password": STRONG,
    "password_again": STRONG,
}


def _link(message, name):
    return re.search(rf"http://testserver(/{name}/\S+)", message.body).group(1)


def test_registration_creates_a_user_with_the_default_role_and_owner(client, owner, buyer_role):
    """oro-spec #63: the registered user gets the default role (Buyer) and the default customer owner."""
    response = client.post("/register/", FORM)
    assert response.status_code == 200
    user = CustomerUser.objects.get(email_lower="rita@acme.example")
    assert [r.role for r in user.roles.all()] == ["ROLE_FRONTEND_BUYER"]
    assert user.owner_id == owner.pk
    assert user.customer.owner_id == owner.pk
    assert user.customer.parent_id is None


def test_registration_names_the_customer_after_the_company(client, owner):
    """oro-spec #64: with a company name the customer is named after it."""
    client.post("/register/", FORM)
    assert CustomerUser.objects.get(email_lower="rita@acme.example").customer.name == "Acme Widgets"


def test_registration_without_company_names_the_customer_first_last(client, owner):
    """oro-spec #64: without a company name the customer is named "First Last"."""
    client.post("/register/", {**FORM, "company_name": ""})
    assert CustomerUser.objects.get(email_lower="rita@acme.example").customer.name == "Rita Register"


def test_registration_announces_the_customer_with_its_entry_point(client, owner):
    """The new customer is announced with the entry point "registration" (the CRM bridge links it)."""
    heard = []

    @receiver(signals.customer_created)
    def listen(sender, **kwargs):
        heard.append(kwargs["entry_point"])

    try:
        client.post("/register/", FORM)
    finally:
        signals.customer_created.disconnect(listen)
    assert heard == ["registration"]


def test_confirmation_required_leaves_the_user_unconfirmed_until_the_mailed_link(client, owner):
    """oro-spec #65: unconfirmed until it follows the signed link from the mail; no log-in before."""
    response = client.post("/register/", FORM)
    assert b"Check your mail" in response.content
    user = CustomerUser.objects.get(email_lower="rita@acme.example")
    assert user.confirmed is False
    refused = client.post("/login/", {"email": FORM["email"], "password": STRONG})
    assert b"Confirm your email address first" in refused.content
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "confirm")
    assert client.get(link).status_code == 302
    user.refresh_from_db()
    assert user.confirmed is True
    assert client.post("/login/", {"email": FORM["email"], "password": STRONG}).status_code == 302
    assert client.get("/account/").status_code == 200


def test_a_tampered_confirmation_link_is_refused(client, owner):
    """oro-spec #65: only the genuine signed link confirms."""
    client.post("/register/", FORM)
    link = _link(mail.outbox[0], "confirm")
    assert client.get(link[:-3] + "xyz/").status_code == 404
    assert CustomerUser.objects.get(email_lower="rita@acme.example").confirmed is False


def test_without_confirmation_the_user_is_confirmed_and_logged_in(client, owner, admin):
    """oro-spec #65: with confirmation not required the user is confirmed and logged in at once."""
    setting_set(key="storefront.confirmation_required", value=False, actor=admin)
    response = client.post("/register/", FORM)
    assert response.status_code == 302
    assert CustomerUser.objects.get(email_lower="rita@acme.example").confirmed is True
    assert mail.outbox == []
    assert client.get("/account/").status_code == 200


def test_registration_closed_by_the_setting_answers_404_and_writes_nothing(client, owner, admin):
    setting_set(key="storefront.registration_enabled", value=False, actor=admin)
    assert client.get("/register/").status_code == 404
    assert client.post("/register/", FORM).status_code == 404
    assert not CustomerUser.objects.exists()
    assert b"Register your company" not in client.get("/").content


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_name": " "}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"email": "a@b"}, "email"),
        ({"email": "not-an-email"}, "email"),
        ({"password": "short", "password_again": "short"}, "password"),
        ({"password_again": "something-else-42"}, "password_again"),
        ({"company_name": "x" * 256}, "company_name"),
    ],
)
def test_registration_field_errors_write_nothing(client, owner, change, field):
    """oro-spec #11 (and #9): first and last name, a valid email of 6–255 characters and a valid
    customer name are required; a refused registration creates neither customer nor user."""
    response = client.post("/register/", {**FORM, **change})
    assert response.status_code == 200
    assert f'data-field-error="{field}"'.encode() in response.content
    assert not CustomerUser.objects.exists()
    assert not Customer.objects.exists()


def test_registration_with_a_taken_email_is_refused(client, owner, make_customer, make_customer_user):
    """oro-spec #11: emails are unique, case-insensitively."""
    make_customer_user(make_customer("Existing"), email="Rita@Acme.example")
    response = client.post("/register/", FORM)
    assert b'data-field-error="email"' in response.content
    assert Customer.objects.count() == 1


def test_registration_gives_the_role_named_by_its_frontend_code(client, owner, admin):
    """oro-spec #12: roles are known by their ROLE_FRONTEND_ code; a default role that does not
    exist makes registration refuse, with nothing written."""
    setting_set(key="storefront.default_role", value="ROLE_FRONTEND_ADMINISTRATOR", actor=admin)
    client.post("/register/", FORM)
    user = CustomerUser.objects.get(email_lower="rita@acme.example")
    assert [r.role for r in user.roles.all()] == ["ROLE_FRONTEND_ADMINISTRATOR"]
    setting_set(key="storefront.default_role", value="ROLE_FRONTEND_NOPE", actor=admin)
    response = client.post("/register/", {**FORM, "email": "other@acme.example"})
    assert b"the default role" in response.content
    assert CustomerUser.objects.count() == 1
    assert Customer.objects.count() == 1


def test_registration_without_a_default_owner_is_refused(client, admin):
    setting_set(key="commerce.default_customer_owner", value="nobody-here", actor=admin)
    response = client.post("/register/", FORM)
    assert b"default customer owner" in response.content
    assert not CustomerUser.objects.exists()


def test_the_storefront_settings_are_set_in_the_console(client, owner, admin, console_as):
    """The "Storefront" settings section: an administrator closes registration in the console."""
    console = console_as(admin)
    page = console.get("/console/settings/storefront/")
    assert page.status_code == 200
    for label in (b"Registration enabled", b"Email confirmation required", b"Default role"):
        assert label in page.content
    saved = console.post(
        "/console/settings/storefront/",
        {
            "storefront.registration_enabled": "",
            "storefront.confirmation_required": "on",
            "storefront.default_role": "ROLE_FRONTEND_BUYER",
        },
    )
    assert saved.status_code == 302
    assert client.get("/register/").status_code == 404
