"""The storefront API refuses unknown query parameters like /api/v1/ (decision 0063), after its session
auth and CSRF check."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accord.commerce.models import ShoppingList
from accord.storefront.tests.conftest import login_client, make_documents


@pytest.fixture
def buyer(make_customer, make_customer_user):
    return make_customer_user(make_customer("Acme"), email="bea@acme.example")


def test_an_unknown_parameter_is_422_and_a_known_filter_still_filters(
    buyer, store_api, product, owner, django_assert_max_num_queries
):
    first = make_documents(buyer, product, owner, "a")
    make_documents(buyer, product, owner, "b")
    api = store_api(buyer)

    with django_assert_max_num_queries(4):  # the session only: the list is never queried
        refused = api.get("quotes", rfqid=first["commerce.rfq"].pk)
    filtered = api.get("quotes", rfq_id=first["commerce.rfq"].pk).json()

    assert refused.status_code == 422
    assert refused.json() == {
        "status": 422,
        "code": "validation_error",
        "message": "Invalid input.",
        "errors": [
            {
                "field": "query.rfqid",
                "message": (
                    "Unknown query parameter 'rfqid'; this endpoint accepts: "
                    "count, page, page_size, rfq_id, sort."
                ),
            }
        ],
    }
    assert [q["id"] for q in filtered["items"]] == [first["commerce.quote"].pk]


def test_a_detail_endpoint_with_an_unknown_parameter_is_422(buyer, store_api, product, owner):
    order = make_documents(buyer, product, owner, "a")["commerce.order"]

    response = store_api(buyer).get(f"orders/{order.pk}", include="lines")

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["query.include"]


def test_anonymous_is_401_before_the_parameters(db):
    response = Client().get("/api/storefront/v1/orders?nmae=x")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_write_checks_csrf_first_then_refuses_the_parameter_and_writes_nothing(buyer):
    client = login_client(buyer, enforce_csrf_checks=True)
    url = "/api/storefront/v1/shopping-lists?dry_run=1"

    no_csrf = client.post(url, data={"name": "X"}, content_type="application/json")
    client.get("/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    with_csrf = client.post(url, data={"name": "X"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)

    assert no_csrf.status_code == 403
    assert with_csrf.status_code == 422
    assert [e["field"] for e in with_csrf.json()["errors"]] == ["query.dry_run"]
    assert not ShoppingList.objects.exists()


def test_every_operation_accepts_exactly_what_openapi_documents(buyer, store_api):
    api = store_api(buyer)
    paths = Client().get("/api/storefront/v1/openapi.json").json()["paths"]
    checked = 0
    for path, operations in paths.items():
        url = re.sub(r"\{\w+\}", "1", path)
        for method, spec in operations.items():
            documented = sorted(p["name"] for p in spec.get("parameters", []) if p["in"] == "query")
            response = getattr(api.client, method)(f"{url}?zz_unknown=1")

            assert response.status_code == 422, (method, path, response.status_code)
            [error] = response.json()["errors"]
            assert error["field"] == "query.zz_unknown"
            listed = re.search(r"accepts(?:: (.*)| no query parameters)\.$", error["message"])
            assert listed, error["message"]
            assert (listed.group(1).split(", ") if listed.group(1) else []) == documented, (method, path)
            checked += 1
    assert checked > 20
