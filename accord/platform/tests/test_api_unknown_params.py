"""Unknown query parameters answer 422 on query.<name> (oro-spec #114, decision 0063), after auth."""

from __future__ import annotations

import re

from django.test import Client

from accord.platform.models import User

USERS_ACCEPTS = "count, is_active, page, page_size, q, sort"


def _error(response) -> dict:
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == response.status_code
    return body


def _accepted(message: str) -> list[str]:
    """The names listed by an unknown-parameter message."""
    match = re.fullmatch(
        r"Unknown query parameter '[^']*'; this endpoint accepts(?:: (.*)| no query parameters)\.", message
    )
    assert match, message
    return match.group(1).split(", ") if match.group(1) else []


def test_an_unknown_parameter_on_a_list_is_422_on_its_query_field(
    tree, admin, api_as, django_assert_max_num_queries
) -> None:
    client = api_as(admin)

    with django_assert_max_num_queries(3):  # the token only: the list is never queried
        response = client.get("users", nmae="root")

    assert response.status_code == 422
    assert _error(response) == {
        "status": 422,
        "code": "validation_error",
        "message": "Invalid input.",
        "errors": [
            {
                "field": "query.nmae",
                "message": f"Unknown query parameter 'nmae'; this endpoint accepts: {USERS_ACCEPTS}.",
            }
        ],
    }


def test_every_unknown_parameter_is_named_and_known_ones_are_not(tree, admin, api_as) -> None:
    response = api_as(admin).get("users", q="root", nmae="x", format="json", page=1)

    assert response.status_code == 422
    assert [e["field"] for e in _error(response)["errors"]] == ["query.nmae", "query.format"]


def test_known_filters_still_filter(tree, admin, make_user, api_as, django_assert_max_num_queries) -> None:
    make_user("alice")
    make_user("bob")
    client = api_as(admin)

    with django_assert_max_num_queries(6):
        body = client.get("users", q="ali", is_active="true", sort="username", page=1, page_size=10).json()

    assert body["count"] == 1
    assert [u["username"] for u in body["items"]] == ["alice"]


def test_a_detail_endpoint_declares_no_query_parameters(tree, admin, api_as) -> None:
    response = api_as(admin).get(f"users/{admin.pk}", expand="roles")

    assert response.status_code == 422
    assert _error(response)["errors"] == [
        {
            "field": "query.expand",
            "message": "Unknown query parameter 'expand'; this endpoint accepts no query parameters.",
        }
    ]
    assert api_as(admin).get(f"users/{admin.pk}").status_code == 200


def test_a_write_with_an_unknown_parameter_is_422_and_writes_nothing(tree, admin, api_as) -> None:
    """`?dry_run=true` on a create must not be taken as a preview and still create."""
    client = api_as(admin)
    body = {"username": "newbie", "password": "amber-meadow-compass-77", "business_unit_id": tree.sales.pk}

    created = client.post("/api/v1/users?dry_run=true", body)
    patched = client.patch(f"/api/v1/users/{admin.pk}?notify=1", {"first_name": "Changed"})
    deleted = client.delete(f"/api/v1/users/{admin.pk}?force=1")

    assert (created.status_code, patched.status_code, deleted.status_code) == (422, 422, 422)
    assert [e["field"] for e in _error(created)["errors"]] == ["query.dry_run"]
    assert [e["field"] for e in _error(patched)["errors"]] == ["query.notify"]
    assert [e["field"] for e in _error(deleted)["errors"]] == ["query.force"]
    assert not User.objects.filter(username="newbie").exists()
    admin.refresh_from_db()
    assert admin.first_name != "Changed"
    assert admin.is_active


def test_authentication_answers_before_the_parameters(tree, admin) -> None:
    anonymous = Client().get("/api/v1/users?nmae=x")
    wrong_token = Client().get("/api/v1/users?nmae=x", headers={"Authorization": "Bearer acc_nope"})
    anonymous_write = Client().post("/api/v1/users?dry_run=1", data={}, content_type="application/json")

    for response in (anonymous, wrong_token, anonymous_write):
        assert response.status_code == 401
        assert _error(response)["code"] == "not_authenticated"


def test_the_console_session_still_needs_csrf_for_writes_before_the_parameters(tree, admin) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)

    refused = client.post("/api/v1/users?dry_run=1", data={}, content_type="application/json")
    listed = client.get("/api/v1/users?nmae=x")

    assert refused.status_code == 403
    assert listed.status_code == 422


def test_the_parameters_are_checked_before_the_permission(tree, make_user, api_as) -> None:
    """Like a bad `page_size`, an unknown name is a malformed request whoever sends it; the names it
    lists are public in openapi.json."""
    nobody = make_user("nobody", grants={"platform.user": {"view": 0}})

    assert api_as(nobody).get("users", nmae="x").status_code == 422
    assert api_as(nobody).get(f"users/{nobody.pk}").status_code in (403, 404)


def test_every_operation_refuses_an_unknown_parameter_and_lists_what_openapi_documents(
    tree, admin, api_as
) -> None:
    """Each operation of /api/v1/ accepts exactly the query parameters its OpenAPI entry documents."""
    client = api_as(admin)
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    checked = 0
    for path, operations in paths.items():
        url = re.sub(r"\{\w+\}", "1", path.replace("{key}", "a.b"))
        for method, spec in operations.items():
            documented = sorted(p["name"] for p in spec.get("parameters", []) if p["in"] == "query")
            response = getattr(client.client, method)(f"{url}?zz_unknown=1", headers=client.headers)

            assert response.status_code == 422, (method, path, response.status_code)
            errors = _error(response)["errors"]
            assert [e["field"] for e in errors] == ["query.zz_unknown"], (method, path)
            assert _accepted(errors[0]["message"]) == documented, (method, path)
            checked += 1
    assert checked > 40  # every operation of the installed modules (CRM alone has ~90)
