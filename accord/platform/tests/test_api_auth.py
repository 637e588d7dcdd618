"""The API root: authentication, tokens, the one error shape, ACL answers, list conventions."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from accord.platform.models import AccessLevel, Activity, ApiToken, AuditEntry, BusinessUnit, User
from accord.platform.services.tokens import token_create, token_revoke


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == response.status_code
    return body


def _note(owner: User, subject: str) -> Activity:
    return Activity.objects.create(
        kind="note",
        subject=subject,
        target_entity="platform.user",
        target_id=owner.pk,
        happened_at=timezone.now(),
        owner=owner,
        business_unit_id=owner.business_unit_id,
        organization_id=owner.organization_id,
    )


def test_no_credentials_is_401_in_the_error_shape(tree) -> None:
    response = Client().get("/api/v1/users")

    assert response.status_code == 401
    assert _error(response) == {
        "status": 401,
        "code": "not_authenticated",
        "message": "Log in or send a valid Bearer token.",
        "errors": [],
    }


@pytest.mark.parametrize(
    "header", ["Bearer acc_not-a-real-token", "Bearer ", "Token abc", "Bearer not-even-prefixed"]
)
def test_a_wrong_token_is_401(tree, admin, header) -> None:
    response = Client().get("/api/v1/me", headers={"Authorization": header})

    assert response.status_code == 401
    assert _error(response)["code"] == "not_authenticated"


def test_a_valid_token_authenticates_as_its_user(tree, admin) -> None:
    _, raw = token_create(user=admin, name="ci")

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 200
    assert response.json()["username"] == "root-admin"
    assert ApiToken.objects.get(user=admin).last_used_at is not None


def test_a_token_of_a_disabled_user_is_401(tree, make_user) -> None:
    user = make_user("gone", roles=["sales_rep"])
    _, raw = token_create(user=user, name="ci")
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})

    assert response.status_code == 401


def test_session_of_a_logged_in_console_user_authenticates(tree, admin, console_as) -> None:
    response = console_as(admin).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["id"] == admin.pk


def test_session_of_a_disabled_user_is_401(tree, make_user, console_as) -> None:
    user = make_user("sleepy", roles=["sales_rep"])
    client = console_as(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_revoking_a_token_through_the_api_stops_it_at_once(tree, admin, api_as) -> None:
    client = api_as(admin)
    created = client.post("me/tokens", {"name": "laptop"})
    raw, token_id = created.json()["token"], created.json()["id"]
    other = {"Authorization": f"Bearer {raw}"}
    before = Client().get("/api/v1/me", headers=other)

    revoked = client.delete(f"me/tokens/{token_id}")
    after = Client().get("/api/v1/me", headers=other)

    assert created.status_code == 201
    assert raw.startswith("acc_")
    assert before.status_code == 200
    assert revoked.status_code == 204
    assert after.status_code == 401
    assert ApiToken.objects.get(pk=token_id).revoked_at is not None
    assert client.get("me").status_code == 200  # the caller's own token still works


def test_revoking_a_token_with_the_service_stops_it_at_once(tree, admin) -> None:
    token, raw = token_create(user=admin, name="script")
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200

    token_revoke(user=admin, token_id=token.pk, actor=admin)

    assert Client().get("/api/v1/me", headers=headers).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(tree, admin, make_user, api_as) -> None:
    token, raw = token_create(user=admin, name="mine")
    rep = make_user("rep", roles=["sales_rep"])

    response = api_as(rep).delete(f"me/tokens/{token.pk}")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_tokens_are_stored_hashed(tree, admin) -> None:
    token, raw = token_create(user=admin, name="stored")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM platform_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]

    assert raw not in stored
    assert not any(raw in value for value in stored)
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:12]


def test_changing_a_visible_user_without_edit_grant_is_403_and_writes_nothing(
    tree, make_user, api_as
) -> None:
    target = make_user("target", unit=tree.east)
    caller = make_user(
        "caller",
        unit=tree.sales,
        grants={"platform.user": {"view": AccessLevel.ORGANIZATION, "edit": AccessLevel.BUSINESS_UNIT}},
    )
    audit_rows = AuditEntry.objects.count()

    seen = api_as(caller).get(f"users/{target.pk}")
    response = api_as(caller).patch(f"users/{target.pk}", {"email": "changed@example.com"})

    assert seen.status_code == 200
    assert response.status_code == 403
    assert _error(response)["code"] == "forbidden"
    assert User.objects.get(pk=target.pk).email == "target@example.com"
    assert AuditEntry.objects.count() == audit_rows


def test_a_user_outside_the_view_grant_is_404_and_writes_nothing(tree, make_user, api_as) -> None:
    stranger = make_user("stranger", unit=tree.other_main)
    neighbour = make_user("neighbour", unit=tree.commerce)
    caller = make_user(
        "caller",
        unit=tree.sales,
        grants={"platform.user": {"view": AccessLevel.BUSINESS_UNIT, "edit": AccessLevel.BUSINESS_UNIT}},
    )
    client = api_as(caller)

    responses = [
        client.get(f"users/{stranger.pk}"),
        client.patch(f"users/{stranger.pk}", {"email": "x@example.com"}),
        client.patch(f"users/{neighbour.pk}", {"email": "x@example.com"}),
        client.delete(f"users/{neighbour.pk}"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404, 404]
    assert {_error(r)["code"] for r in responses} == {"not_found"}
    assert User.objects.get(pk=stranger.pk).email == "stranger@example.com"
    assert User.objects.filter(pk=neighbour.pk, email="neighbour@example.com").exists()


def test_business_units_answer_403_when_visible_and_404_in_another_organization(
    tree, make_user, api_as
) -> None:
    caller = make_user("caller", roles=["sales_manager"])  # views every unit, edits none
    client = api_as(caller)

    forbidden = client.patch(f"business-units/{tree.east.pk}", {"name": "Renamed"})
    hidden = client.patch(f"business-units/{tree.other_main.pk}", {"name": "Renamed"})
    listed = client.get("business-units")

    assert forbidden.status_code == 403
    assert hidden.status_code == 404
    assert set(BusinessUnit.objects.values_list("name", flat=True)) == {
        "Main",
        "Sales",
        "Sales East",
        "Commerce",
        "Other Main",
    }
    assert [u["name"] for u in listed.json()["items"]] == ["Main", "Sales", "Sales East", "Commerce"]


def test_activities_answer_403_when_visible_and_404_when_not(tree, make_user, api_as) -> None:
    rep = make_user("rep", unit=tree.sales, roles=["sales_rep"])  # views its unit, deletes its own
    colleague = make_user("colleague", unit=tree.sales)
    outsider = make_user("outsider", unit=tree.commerce)
    theirs, far, own = _note(colleague, "theirs"), _note(outsider, "far"), _note(rep, "own")
    client = api_as(rep)

    forbidden = client.delete(f"activities/{theirs.pk}")
    hidden = client.delete(f"activities/{far.pk}")
    allowed = client.delete(f"activities/{own.pk}")

    assert (forbidden.status_code, hidden.status_code, allowed.status_code) == (403, 404, 204)
    assert set(Activity.objects.values_list("subject", flat=True)) == {"theirs", "far"}


def test_creating_a_user_with_a_short_password_is_422_on_the_password_field(tree, admin, api_as) -> None:
    response = api_as(admin).post(
        "users", {"username": "newbie", "password": "short", "business_unit_id": tree.sales.pk}
    )

    body = _error(response)
    assert response.status_code == 422
    assert body["code"] == "validation_error"
    assert {e["field"] for e in body["errors"]} == {"password"}
    assert not User.objects.filter(username="newbie").exists()


def test_missing_and_mistyped_body_fields_name_their_path(tree, admin, api_as) -> None:
    response = api_as(admin).post("users", {"username": "x", "business_unit_id": "not-a-number"})

    fields = {e["field"] for e in _error(response)["errors"]}
    assert response.status_code == 422
    assert fields == {"password", "business_unit_id"}


def test_a_bad_sort_is_422_on_query_sort(tree, admin, api_as) -> None:
    response = api_as(admin).get("users", sort="password")

    body = _error(response)
    assert response.status_code == 422
    assert [e["field"] for e in body["errors"]] == ["query.sort"]


def test_a_bad_page_size_is_422_on_query_page_size(tree, admin, api_as) -> None:
    response = api_as(admin).get("users", page_size=500)

    assert response.status_code == 422
    assert [e["field"] for e in _error(response)["errors"]] == ["query.page_size"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2", ""])
def test_a_malformed_json_body_is_a_4xx_never_a_500(tree, admin, api_as, body) -> None:
    client = api_as(admin)

    response = client.client.post(
        "/api/v1/business-units", data=body, content_type="application/json", headers=client.headers
    )

    assert 400 <= response.status_code < 500
    assert _error(response)["status"] == response.status_code
    assert BusinessUnit.objects.filter(organization=tree.org).count() == 4


def test_lists_answer_count_and_items_with_page_page_size_and_sort(tree, make_user, admin, api_as) -> None:
    for name in ("dora", "bert", "cleo", "abel"):
        make_user(name)
    client = api_as(admin)

    first = client.get("users", sort="username", page=1, page_size=2).json()
    second = client.get("users", sort="username", page=2, page_size=2).json()
    descending = client.get("users", sort="-username", page_size=3).json()

    assert set(first) == {"count", "count_exact", "items"}
    assert first["count"] == 5
    assert [u["username"] for u in first["items"]] == ["abel", "bert"]
    assert [u["username"] for u in second["items"]] == ["cleo", "dora"]
    assert [u["username"] for u in descending["items"]] == ["root-admin", "dora", "cleo"]


def test_lists_only_show_what_the_acl_allows(tree, make_user, api_as) -> None:
    make_user("stranger", unit=tree.other_main)
    make_user("far", unit=tree.commerce)
    caller = make_user("caller", unit=tree.sales, grants={"platform.user": {"view": AccessLevel.DIVISION}})
    make_user("below", unit=tree.east)

    body = api_as(caller).get("users", sort="username").json()

    assert body["count"] == 2
    assert [u["username"] for u in body["items"]] == ["below", "caller"]


def test_openapi_lists_the_platform_paths(tree, admin, console_as) -> None:
    response = Client().get("/api/v1/openapi.json")

    paths = response.json()["paths"]
    assert response.status_code == 200
    for path in (
        "/api/v1/users",
        "/api/v1/users/{pk}",
        "/api/v1/users/{pk}/history",
        "/api/v1/business-units",
        "/api/v1/roles",
        "/api/v1/settings",
        "/api/v1/jobs/{pk}",
        "/api/v1/search",
        "/api/v1/me/tokens/{pk}",
    ):
        assert path in paths, path
    assert "bearer" in str(response.json()["components"]["securitySchemes"]).lower()


def test_interactive_docs_render(tree, admin, console_as) -> None:
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
