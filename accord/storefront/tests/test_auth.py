"""Storefront log-in (its own session, throttled), log-out, password reset and change, profile."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from accord.commerce.models import CustomerUser
from accord.commerce.services.customer_users import customer_user_update
from accord.storefront.auth import SESSION_KEY
from accord.storefront.models import LoginFailure
from accord.storefront.tests.conftest import STRONG

NEW = "amber-meadow-compass-77"


@pytest.fixture
def buyer(make_customer, make_customer_user):
    return make_customer_user(make_customer("Acme"), email="bea@acme.example")


def _login(client, email="bea@acme.example", password=STRONG, **extra):
    return client.post("/login/", {"email": email, "password": password, **extra})


def test_log_in_rotates_the_session_and_opens_the_account(buyer):
    client = Client()
    client.get("/login/")
    client.session.save()
    before = client.session.session_key
    response = _login(client)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == buyer.pk
    assert client.get("/account/").status_code == 200
    buyer.refresh_from_db()
    assert buyer.last_login is not None


def test_log_in_follows_a_safe_next_only(buyer):
    assert _login(Client(), next="/orders/")["Location"] == "/orders/"
    assert _login(Client(), next="https://evil.example/")["Location"] == "/"


@pytest.mark.parametrize(
    ("email", "password"), [("bea@acme.example", "wrong-password-1"), ("nobody@x.example", STRONG)]
)
def test_wrong_credentials_are_refused_alike(buyer, email, password):
    client = Client()
    response = _login(client, email, password)
    assert response.status_code == 200
    assert b"Wrong email or password." in response.content
    assert SESSION_KEY not in client.session


def test_a_disabled_user_cannot_log_in_and_its_session_ends(buyer, owner, store_as):
    client = store_as(buyer)
    assert client.get("/account/").status_code == 200
    customer_user_update(customer_user=buyer, enabled=False, actor=owner)
    assert client.get("/account/").status_code == 302
    assert b"disabled" in _login(Client()).content


def test_anonymous_visitors_go_to_the_log_in_page():
    response = Client().get("/orders/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Forders%2F"


def test_a_console_session_is_not_a_storefront_session(console_as, admin, db):
    assert console_as(admin).get("/account/").status_code == 302
    assert console_as(admin).get("/api/storefront/v1/me").status_code == 401


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_email_and_address_out(buyer):
    """Throttling: after 3 failures even the right password is refused; other addresses are not."""
    client = Client()
    for _ in range(3):
        _login(client, password="wrong-password-1")
    locked = _login(client)
    assert locked.status_code == 429
    assert b"Too many failed log-ins" in locked.content
    assert SESSION_KEY not in client.session
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert _login(elsewhere).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_log_in_clears_the_failures(buyer):
    client = Client()
    for _ in range(2):
        _login(client, password="wrong-password-1")
    assert _login(client).status_code == 302
    assert not LoginFailure.objects.exists()


def test_log_out_ends_only_the_storefront_session(buyer, store_as):
    client = store_as(buyer)
    assert client.post("/logout/").status_code == 302
    assert client.get("/account/").status_code == 302
    assert client.get("/logout/").status_code == 405


def test_password_reset_by_mail(buyer):
    client = Client()
    response = client.post("/password-reset/", {"email": "BEA@acme.example"})
    assert b"Check your mail" in response.content
    link = re.search(r"http://testserver(/password/\S+)", mail.outbox[0].body).group(1)
    assert client.post(link, {"password": NEW, "password_again": NEW}).status_code == 302
    assert _login(Client(), password=NEW).status_code == 302
    assert client.get(link).status_code == 404  # used: the password changed


def test_password_reset_answers_the_same_for_unknown_emails(db):
    response = Client().post("/password-reset/", {"email": "ghost@nowhere.example"})
    assert b"Check your mail" in response.content
    assert mail.outbox == []


def test_password_reset_refuses_a_weak_password_and_keeps_the_old(buyer):
    client = Client()
    client.post("/password-reset/", {"email": buyer.email})
    link = re.search(r"http://testserver(/password/\S+)", mail.outbox[0].body).group(1)
    response = client.post(link, {"password": "short", "password_again": "short"})
    assert b'data-field-error="password"' in response.content
    assert _login(Client()).status_code == 302


def test_change_password_needs_the_current_one_and_ends_other_sessions(buyer, store_as):
    client, other = store_as(buyer), store_as(buyer)
    wrong = client.post(
        "/account/password/", {"current_password": "nope-nope-1", "password": NEW, "password_again": NEW}
    )
    assert b'data-field-error="current_password"' in wrong.content
    ok = client.post(
        "/account/password/", {"current_password": STRONG, "password": NEW, "password_again": NEW}
    )
    assert ok.status_code == 302
    assert client.get("/account/").status_code == 200  # this session stays
    assert other.get("/account/").status_code == 302  # the other one ends
    assert CustomerUser.objects.get(pk=buyer.pk).check_password(NEW)


def test_profile_edits_the_name(buyer, store_as):
    client = store_as(buyer)
    response = client.post("/account/", {"first_name": "Beatrix", "last_name": "Buyer"})
    assert response.status_code == 302
    buyer.refresh_from_db()
    assert buyer.first_name == "Beatrix"
    refused = client.post("/account/", {"first_name": "", "last_name": "Buyer"})
    assert b'data-field-error="first_name"' in refused.content
