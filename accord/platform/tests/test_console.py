"""Console shell: log-in and throttling, log-out, password change, tokens, CSRF, error pages,
secure headers, and the user pages' forms with field errors."""

from __future__ import annotations

import html
import re

from django.core import mail
from django.test import Client

from accord.platform.models import ApiToken, AuditEntry, User
from accord.platform.tests.fixtures import PASSWORD

LOGIN = "/console/login/"


def _field_errors(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in re.findall(r'data-field-error="([^"]+)">([^<]*)<', response.content.decode()):
        found.setdefault(name, []).append(html.unescape(message))
    return found


def _logged_in_as(client: Client) -> str | None:
    response = client.get("/api/v1/me")
    return response.json()["username"] if response.status_code == 200 else None


def test_the_login_page_renders_with_a_csrf_token(tree) -> None:
    response = Client().get(LOGIN)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Log in to the console" in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_anonymous_console_pages_redirect_to_the_login(tree) -> None:
    response = Client().get("/console/users/")

    assert response.status_code == 302
    assert response.url == "/console/login/?next=/console/users/"


def test_logging_in_with_the_right_password_opens_the_console(tree, admin) -> None:
    client = Client()

    response = client.post(LOGIN, {"username": "root-admin", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/console/"
    assert _logged_in_as(client) == "root-admin"
    assert client.get("/console/").status_code == 200


def test_a_wrong_password_shows_an_error_and_logs_nobody_in(tree, admin) -> None:
    client = Client()

    response = client.post(LOGIN, {"username": "root-admin", "password": "wrong-password"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert _logged_in_as(client) is None


def test_a_disabled_user_cannot_log_in(tree, make_user) -> None:
    user = make_user("sleepy", roles=["sales_rep"])
    User.objects.filter(pk=user.pk).update(is_active=False)
    client = Client()

    response = client.post(LOGIN, {"username": "sleepy", "password": PASSWORD})

    assert response.status_code == 200
    assert _logged_in_as(client) is None


def test_login_is_throttled_after_five_failures(tree, admin, make_user) -> None:
    make_user("bystander", roles=["sales_rep"])
    client = Client()
    failures = [
        client.post(LOGIN, {"username": "root-admin", "password": f"wrong-{i}"}).status_code for i in range(5)
    ]

    locked = client.post(LOGIN, {"username": "root-admin", "password": PASSWORD})
    other = Client().post(LOGIN, {"username": "bystander", "password": PASSWORD})

    assert failures[:4] == [200, 200, 200, 200]
    assert locked.status_code in (403, 429)
    assert "Too many failed log-in attempts" in locked.content.decode()
    assert _logged_in_as(client) is None
    assert other.status_code == 302  # the lock is per account and address


def test_logout_ends_the_session(tree, admin, console_as) -> None:
    client = console_as(admin)

    response = client.post("/console/logout/")

    assert response.status_code == 302
    assert response.url == LOGIN
    assert _logged_in_as(client) is None
    assert client.get("/console/").status_code == 302


def test_password_change_shows_field_errors_and_keeps_the_password(tree, make_user, console_as) -> None:
    user = make_user("pat", roles=["sales_rep"])
    client = console_as(user)

    wrong_old = client.post(
        "/console/profile/password/",
        {
            "old_password": "nope",
            "new_password": "a-brand-new-secret-9",
            "new_password_again": "a-brand-new-secret-9",
        },
    )
    mismatch = client.post(
        "/console/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password": "a-brand-new-secret-9",
            "new_password_again": "different-9",
        },
    )
    too_short = client.post(
        "/console/profile/password/",
        {"old_password": PASSWORD, "new_password": "short", "new_password_again": "short"},
    )

    assert (wrong_old.status_code, mismatch.status_code, too_short.status_code) == (400, 400, 400)
    assert _field_errors(wrong_old) == {"old_password": ["Your current password is not right."]}
    assert _field_errors(mismatch) == {"new_password_again": ["The two passwords differ."]}
    assert list(_field_errors(too_short)) == ["new_password"]
    assert "too short" in _field_errors(too_short)["new_password"][0]
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


def test_password_change_keeps_the_session_and_is_audited(tree, make_user, console_as) -> None:
    user = make_user("pat", roles=["sales_rep"])
    client = console_as(user)

    response = client.post(
        "/console/profile/password/",
        {
            "old_password": PASSWORD,
            "new_password": "a-brand-new-secret-9",
            "new_password_again": "a-brand-new-secret-9",
        },
    )

    assert response.status_code == 302
    assert response.url == "/console/profile/"
    assert User.objects.get(pk=user.pk).check_password("a-brand-new-secret-9")
    assert _logged_in_as(client) == "pat"
    entry = AuditEntry.objects.get(entity="platform.user", object_id=str(user.pk), action="update")
    assert entry.changes == {"password": {"old": "***", "new": "***"}}


def test_the_profile_creates_a_token_shown_once_that_authenticates(tree, make_user, console_as) -> None:
    user = make_user("tia", roles=["sales_rep"])
    client = console_as(user)

    created = client.post("/console/profile/tokens/", {"name": "ERP sync"})
    first = client.get("/console/profile/").content.decode()
    second = client.get("/console/profile/").content.decode()

    assert created.status_code == 302
    raw = re.search(r"<code[^>]*data-new-token>([^<]+)</code>", first).group(1)
    assert raw not in second
    assert "ERP sync" in second
    api = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert api.json()["username"] == "tia"


def test_the_profile_refuses_a_token_without_a_name(tree, make_user, console_as) -> None:
    user = make_user("tia", roles=["sales_rep"])
    client = console_as(user)

    response = client.post("/console/profile/tokens/", {"name": ""}, follow=True)

    assert "A token needs a name." in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 0


def test_the_profile_revokes_a_token(tree, make_user, console_as) -> None:
    from accord.platform.services.tokens import token_create

    user = make_user("tia", roles=["sales_rep"])
    token, raw = token_create(user=user, name="old laptop")
    client = console_as(user)

    ignored = client.get(f"/console/profile/tokens/{token.pk}/revoke/")
    still_active = ApiToken.objects.get(pk=token.pk).revoked_at is None
    revoked = client.post(f"/console/profile/tokens/{token.pk}/revoke/", follow=True)

    assert ignored.status_code == 302
    assert still_active is True
    assert "was revoked" in revoked.content.decode()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_nobody_revokes_someone_elses_token_from_the_profile(tree, admin, make_user, console_as) -> None:
    from accord.platform.services.tokens import token_create

    token, _ = token_create(user=admin, name="admin's")

    response = console_as(make_user("tia", roles=["sales_rep"])).post(
        f"/console/profile/tokens/{token.pk}/revoke/"
    )

    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_a_form_posted_without_the_csrf_token_is_refused(tree, make_user) -> None:
    user = make_user("tia", roles=["sales_rep"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    token_post = client.post("/console/profile/tokens/", {"name": "sneaky"})
    login_post = Client(enforce_csrf_checks=True).post(LOGIN, {"username": "tia", "password": PASSWORD})

    assert token_post.status_code == 403
    assert login_post.status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 0


def test_a_form_posted_with_the_csrf_token_is_accepted(tree, make_user) -> None:
    user = make_user("tia", roles=["sales_rep"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/console/profile/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = client.post("/console/profile/tokens/", {"name": "proper", "csrfmiddlewaretoken": csrf})

    assert response.status_code == 302
    assert ApiToken.objects.filter(user=user, name="proper").count() == 1


def test_the_403_page_renders_inside_the_console(tree, make_user, console_as) -> None:
    response = console_as(make_user("nobody")).get("/console/roles/")

    content = response.content.decode()
    assert response.status_code == 403
    assert 'data-error-status="403"' in content
    assert "Your role does not allow this." in content


def test_the_404_page_renders_for_unknown_records_and_urls(tree, admin, make_user, console_as) -> None:
    stranger = make_user("stranger", unit=tree.other_main)
    client = console_as(admin)

    hidden = client.get(f"/console/users/{stranger.pk}/")
    missing = client.get("/console/users/987654/")
    unknown = client.get("/console/no-such-page/")

    assert (hidden.status_code, missing.status_code, unknown.status_code) == (404, 404, 404)
    assert f"User {stranger.pk} was not found." in hidden.content.decode()
    assert "This page does not exist" in unknown.content.decode()


def test_secure_headers_are_present(tree, admin, console_as) -> None:
    for response in (Client().get(LOGIN), console_as(admin).get("/console/"), Client().get("/api/v1/users")):
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"


def test_the_password_reset_sends_a_link(tree, admin) -> None:
    response = Client().post("/console/password-reset/", {"email": "root-admin@example.com"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/console/password-reset/" in mail.outbox[0].body


def test_the_user_form_creates_a_user(tree, admin, console_as) -> None:
    response = console_as(admin).post(
        "/console/users/new/",
        {
            "username": "nina",
            "email": "nina@example.com",
            "business_unit": tree.east.pk,
            "password": "a-long-secret-42",
            "is_active": "on",
        },
    )

    user = User.objects.get(username="nina")
    assert response.status_code == 302
    assert response.url == f"/console/users/{user.pk}/"
    assert user.business_unit == tree.east
    assert user.check_password("a-long-secret-42")


def test_the_user_form_shows_field_errors_and_creates_nothing(tree, admin, console_as) -> None:
    response = console_as(admin).post(
        "/console/users/new/",
        {
            "username": "root-admin",
            "email": "not-an-email",
            "business_unit": tree.other_main.pk,
            "password": "short",
        },
    )

    errors = _field_errors(response)
    assert response.status_code == 400
    assert set(errors) == {"email", "business_unit"}
    assert User.objects.count() == 1


def test_the_user_form_shows_service_errors_on_their_fields(tree, admin, console_as) -> None:
    response = console_as(admin).post(
        "/console/users/new/",
        {"username": "root-admin", "business_unit": tree.sales.pk, "password": "a-long-secret-42"},
    )

    assert response.status_code == 400
    assert _field_errors(response) == {"username": ["This username is taken."]}


def test_the_user_edit_form_is_forbidden_without_the_edit_grant(tree, make_user, console_as) -> None:
    target = make_user("target", unit=tree.sales)
    rep = make_user("rep", unit=tree.sales, roles=["sales_rep"])  # may view users, not edit them

    page = console_as(rep).get(f"/console/users/{target.pk}/edit/")
    post = console_as(rep).post(
        f"/console/users/{target.pk}/edit/", {"email": "x@example.com", "business_unit": tree.sales.pk}
    )

    assert (page.status_code, post.status_code) == (403, 403)
    assert User.objects.get(pk=target.pk).email == "target@example.com"


def test_the_user_delete_page_explains_and_deletes(tree, admin, make_user, console_as) -> None:
    target = make_user("target", unit=tree.sales)
    client = console_as(admin)

    confirm = client.get(f"/console/users/{target.pk}/delete/")
    deleted = client.post(f"/console/users/{target.pk}/delete/")

    assert "their API tokens stop working" in confirm.content.decode()
    assert deleted.status_code == 302
    assert deleted.url == "/console/users/"
    assert not User.objects.filter(pk=target.pk).exists()


def test_the_dashboard_renders(tree, admin, console_as) -> None:
    response = console_as(admin).get("/console/")

    assert response.status_code == 200
    assert "Background jobs" in response.content.decode()
