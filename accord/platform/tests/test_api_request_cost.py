"""The fixed cost of an API request: one token query, one grants query, a throttled last-used write.

And what that must not cost: a revoked token, a disabled user or a removed role takes effect on the
very next request (nothing about the caller is cached across requests).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.platform.models import AccessLevel, ApiToken, User
from accord.platform.services.tokens import LAST_USED_EVERY, token_authenticate, token_create, token_revoke

VIEW_UNIT = {"platform.user": {"view": AccessLevel.BUSINESS_UNIT}}


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def _statements(captured: CaptureQueriesContext, *, table: str, verb: str = "SELECT") -> int:
    return sum(1 for q in captured.captured_queries if q["sql"].startswith(verb) and f'"{table}"' in q["sql"])


@pytest.fixture
def caller(tree, make_user) -> tuple[User, str]:
    """A user who may view the users of its own business unit, and a token that was used once."""
    user = make_user("caller", unit=tree.sales, grants=VIEW_UNIT)
    _, raw = token_create(user=user, name="cost")
    assert Client().get("/api/v1/me", headers=_bearer(raw)).status_code == 200  # sets last_used_at
    return user, raw


def test_a_detail_costs_the_token_the_grants_and_the_record(
    tree, make_user, caller, django_assert_num_queries
) -> None:
    user, raw = caller
    colleague = make_user("colleague", unit=tree.sales)

    # token + user, grants, the record, its roles (prefetched)
    with django_assert_num_queries(4), CaptureQueriesContext(connection) as captured:
        response = Client().get(f"/api/v1/users/{colleague.pk}", headers=_bearer(raw))

    assert response.status_code == 200
    assert response.json()["username"] == "colleague"
    assert _statements(captured, table="platform_apitoken") == 1
    assert _statements(captured, table="platform_rolepermission") == 1
    assert _statements(captured, table="platform_apitoken", verb="UPDATE") == 0


def test_grants_are_loaded_once_per_request_however_often_the_acl_is_asked(
    tree, make_user, caller, django_assert_max_num_queries
) -> None:
    user, raw = caller
    colleague = make_user("colleague", unit=tree.sales)

    # get_for_action asks the ACL twice (visible, then edit): still one grants query; 403, no write
    with django_assert_max_num_queries(3), CaptureQueriesContext(connection) as captured:
        response = Client().patch(
            f"/api/v1/users/{colleague.pk}",
            data={"first_name": "Changed"},
            content_type="application/json",
            headers=_bearer(raw),
        )

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert _statements(captured, table="platform_rolepermission") == 1
    assert not [q for q in captured.captured_queries if not q["sql"].startswith("SELECT")]
    assert User.objects.get(pk=colleague.pk).first_name == ""


def test_last_used_is_written_at_most_once_a_minute(tree, admin) -> None:
    token, raw = token_create(user=admin, name="throttled")
    client = Client()

    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 200
    used = ApiToken.objects.get(pk=token.pk).last_used_at
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used - LAST_USED_EVERY - timedelta(seconds=1))
    with CaptureQueriesContext(connection) as later:
        assert client.get("/api/v1/me", headers=_bearer(raw)).status_code == 200

    assert used is not None
    assert _statements(first, table="platform_apitoken", verb="UPDATE") == 1
    assert _statements(second, table="platform_apitoken", verb="UPDATE") == 0
    assert ApiToken.objects.get(pk=token.pk).last_used_at >= used
    assert _statements(later, table="platform_apitoken", verb="UPDATE") == 1


def test_a_recently_used_token_is_not_rewritten(tree, admin) -> None:
    token, raw = token_create(user=admin, name="fresh")
    recent = timezone.now() - LAST_USED_EVERY + timedelta(seconds=5)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=recent)

    assert token_authenticate(raw) is not None

    assert ApiToken.objects.get(pk=token.pk).last_used_at == recent


def test_the_token_user_is_a_plain_user_with_aware_datetimes(tree, admin) -> None:
    _, raw = token_create(user=admin, name="shape")

    user = token_authenticate(raw)

    assert user == admin
    assert type(user) is User
    assert user.username == "root-admin"
    assert timezone.is_aware(user.date_joined)
    assert not hasattr(user, "accord_token_id")
    assert not hasattr(user, "accord_token_stale")
    assert token_authenticate(raw + "x") is None
    assert token_authenticate(raw.removeprefix("acc_")) is None


def test_a_token_revoked_after_a_request_is_401_on_the_next(tree, caller) -> None:
    user, raw = caller
    token = ApiToken.objects.get(user=user)

    token_revoke(user=user, token_id=token.pk, actor=user)
    response = Client().get("/api/v1/users", headers=_bearer(raw))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_user_disabled_after_a_request_is_401_on_the_next(tree, caller) -> None:
    user, raw = caller

    User.objects.filter(pk=user.pk).update(is_active=False)
    response = Client().get("/api/v1/users", headers=_bearer(raw))

    assert response.status_code == 401


def test_a_removed_role_takes_effect_on_the_next_request(tree, make_user, caller) -> None:
    user, raw = caller
    colleague = make_user("colleague", unit=tree.sales)
    client = Client()
    assert client.get(f"/api/v1/users/{colleague.pk}", headers=_bearer(raw)).status_code == 200

    user.roles.clear()
    detail = client.get(f"/api/v1/users/{colleague.pk}", headers=_bearer(raw))
    listed = client.get("/api/v1/users", headers=_bearer(raw))

    assert detail.status_code == 404
    assert listed.status_code == 200
    assert listed.json() == {"count": 0, "count_exact": True, "items": []}


def test_a_granted_role_takes_effect_on_the_next_request(tree, make_user) -> None:
    user = make_user("late", unit=tree.sales)
    colleague = make_user("colleague", unit=tree.main)
    _, raw = token_create(user=user, name="late")
    client = Client()
    assert client.get(f"/api/v1/users/{colleague.pk}", headers=_bearer(raw)).status_code == 404

    user.roles.add(
        make_user("holder", grants={"platform.user": {"view": AccessLevel.ORGANIZATION}}).roles.get()
    )
    response = client.get(f"/api/v1/users/{colleague.pk}", headers=_bearer(raw))

    assert response.status_code == 200
    assert response.json()["username"] == "colleague"


def test_a_user_without_the_grant_sees_nothing_outside_its_unit(tree, make_user, caller) -> None:
    user, raw = caller
    elsewhere = make_user("elsewhere", unit=tree.main)
    stranger = make_user("stranger", unit=tree.other_main)
    client = Client()

    listed = client.get("/api/v1/users", headers=_bearer(raw))

    assert listed.status_code == 200
    assert {item["username"] for item in listed.json()["items"]} == {"caller"}
    assert client.get(f"/api/v1/users/{elsewhere.pk}", headers=_bearer(raw)).status_code == 404
    assert client.get(f"/api/v1/users/{stranger.pk}", headers=_bearer(raw)).status_code == 404


def test_a_superuser_without_roles_is_an_administrator(tree, make_user) -> None:
    boss = make_user("boss", unit=tree.sales)
    User.objects.filter(pk=boss.pk).update(is_superuser=True)
    elsewhere = make_user("elsewhere", unit=tree.main)
    _, raw = token_create(user=boss, name="boss")

    response = Client().get(f"/api/v1/users/{elsewhere.pk}", headers=_bearer(raw))

    assert response.status_code == 200
