"""Back-office API: shapes, status codes, cycles (422 on parent_id), write-only passwords, ACL."""

from __future__ import annotations

import pytest

from accord.commerce.models import Customer, CustomerUser, Product
from accord.commerce.tests.conftest import STRONG
from accord.platform.models import AccessLevel

ORG = AccessLevel.ORGANIZATION


@pytest.fixture
def api(api_as, admin):
    return api_as(admin)


def test_customer_crud_and_shape(api, admin, make_user):
    rep = make_user("rep")
    group = api.post("customer-groups", {"name": "Wholesale", "payment_term": "net_30", "tax_code": "WH"})
    assert group.status_code == 201, group.json()
    root = api.post("customers", {"name": "Root"}).json()
    response = api.post(
        "customers",
        {
            "name": "Child",
            "parent_id": root["id"],
            "group_id": group.json()["id"],
            "sales_representative_ids": [rep.pk],
            "internal_rating": "4_of_5",
            "external_id": "ext-9",
            "addresses": [
                {
                    "street": "1 Main",
                    "city": "Town",
                    "country": "de",
                    "types": ["billing"],
                    "default_types": ["billing"],
                }
            ],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parent_id"] == root["id"]
    assert body["root_id"] == root["id"]
    assert body["depth"] == 1
    assert body["path"] == f"/{root['id']}/{body['id']}/"
    assert body["payment_term"] == "net_30"
    assert body["tax_code"] == "WH"
    assert body["sales_representative_ids"] == [rep.pk]
    assert body["owner_id"] == admin.pk
    assert body["addresses"][0]["country"] == "DE"
    assert body["addresses"][0]["default_types"] == ["billing"]
    got = api.get(f"customers/{body['id']}")
    assert got.status_code == 200
    assert got.json() == body
    patched = api.patch(f"customers/{body['id']}", {"parent_id": None, "name": "Now a root"})
    assert patched.status_code == 200
    assert (patched.json()["parent_id"], patched.json()["root_id"]) == (None, body["id"])
    history = api.get(f"customers/{body['id']}/history").json()
    assert [h["action"] for h in history][:2] == ["update", "create"]
    assert api.delete(f"customers/{root['id']}").status_code == 204
    assert api.get(f"customers/{root['id']}").status_code == 404


def test_customer_list_filters_and_subtree(api, make_customer):
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    make_customer("Elsewhere")
    ids = lambda response: {item["id"] for item in response.json()["items"]}  # noqa: E731
    assert ids(api.get("customers", subtree_of=child.pk)) == {child.pk, grandchild.pk}
    assert ids(api.get("customers", root_id=root.pk)) == {root.pk, child.pk, grandchild.pk}
    assert ids(api.get("customers", parent_id=child.pk)) == {grandchild.pk}
    assert ids(api.get("customers", name="grand")) == {grandchild.pk}
    assert api.get("customers", subtree_of=999999).status_code == 404
    assert api.get("customers", sort="-depth").json()["items"][0]["id"] == grandchild.pk
    assert api.get("customers", sort="owner").status_code == 422


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_api_refuses_a_cycle_on_parent_id(api, make_customer, target):
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    new_parent = {"self": root, "child": child, "grandchild": grandchild}[target]
    response = api.patch(f"customers/{root.pk}", {"parent_id": new_parent.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent_id"
    root.refresh_from_db()
    assert root.parent_id is None


def test_validation_errors_use_the_one_shape(api):
    response = api.post("customers", {"name": ""})
    assert response.status_code == 422
    assert response.json() == {
        "status": 422,
        "code": "validation_error",
        "message": "Invalid input.",
        "errors": [{"field": "name", "message": "A name is required."}],
    }
    assert (
        api.post("customers", {"name": "X", "parent_id": 987654}).json()["errors"][0]["field"] == "parent_id"
    )
    assert not Customer.objects.exists()


def test_customer_user_password_is_write_only(api, make_customer, buyer_role):
    acme = make_customer("Acme")
    payload = {
        "email": "Ann@Example.com",
        "first_name": "Ann",
        "last_name": "Lee",
        "customer_id": acme.pk,
        "role_ids": [buyer_role.pk],
        "password": STRONG,
    }
    response = api.post("customer-users", payload)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert "password" not in body
    assert STRONG not in response.content.decode()
    assert body["role_ids"] == [buyer_role.pk]
    assert body["customer_id"] == acme.pk
    assert CustomerUser.objects.get(pk=body["id"]).check_password(STRONG)
    assert "password" not in api.get(f"customer-users/{body['id']}").json()
    clash = api.post("customer-users", {**payload, "email": "ann@example.COM"})
    assert clash.status_code == 422
    assert clash.json()["errors"][0]["field"] == "email"
    weak = api.post("customer-users", {**payload, "email": "weak@example.com", "password": "1234"})
    assert weak.status_code == 422
    assert weak.json()["errors"][0]["field"] == "password"
    no_role = api.patch(f"customer-users/{body['id']}", {"role_ids": []})
    assert no_role.status_code == 422
    assert no_role.json()["errors"][0]["field"] == "role_ids"
    assert api.get("customer-users", subtree_of=acme.pk).json()["count"] == 1
    assert api.delete(f"customer-users/{body['id']}").status_code == 204


def test_customer_user_roles_api(api, make_customer):
    acme = make_customer("Acme")
    response = api.post(
        "customer-user-roles",
        {"label": "Approver", "customer_id": acme.pk, "grants": {"commerce.order": {"view": "department"}}},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["role"].startswith("ROLE_FRONTEND_")
    assert body["grants"] == {"commerce.order": {"view": "department"}}
    bad = api.post(
        "customer-user-roles", {"label": "Bad", "grants": {"commerce.customer_user": {"view": "user"}}}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "grants.commerce.customer_user.view"
    shared = api.get("customer-user-roles", shared=True).json()
    assert {r["label"] for r in shared["items"]} == {"Administrator", "Buyer"}
    buyer = next(r for r in shared["items"] if r["label"] == "Buyer")
    assert api.delete(f"customer-user-roles/{buyer['id']}").status_code == 409
    assert api.patch(f"customer-user-roles/{body['id']}", {"public": False}).json()["public"] is False
    assert api.delete(f"customer-user-roles/{body['id']}").status_code == 204


def test_products_api_money_shape(api):
    response = api.post(
        "products", {"sku": "P-1", "name": "Paper", "unit_price": {"amount": "4.9", "currency": "usd"}}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["unit_price"] == {"amount": "4.90", "currency": "USD"}
    assert body["status"] == "enabled"
    precise = api.patch(f"products/{body['id']}", {"unit_price": {"amount": "4.1234", "currency": "EUR"}})
    assert precise.json()["unit_price"] == {"amount": "4.1234", "currency": "EUR"}
    dup = api.post(
        "products", {"sku": "p-1", "name": "Dup", "unit_price": {"amount": "1", "currency": "USD"}}
    )
    assert dup.status_code == 422
    assert dup.json()["errors"][0]["field"] == "sku"
    negative = api.post(
        "products", {"sku": "N", "name": "N", "unit_price": {"amount": "-1", "currency": "USD"}}
    )
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "unit_price.amount"
    assert api.get("products", sku="p-").json()["count"] == 1
    assert api.delete(f"products/{body['id']}").status_code == 204
    assert not Product.objects.exists()


def test_unauthenticated_is_401(api_as):
    assert api_as(None).get("customers").status_code == 401


def test_acl_404_outside_view_403_without_edit_nothing_written(api_as, make_user, make_customer, tree):
    viewer = make_user(
        "viewer", unit=tree.sales, grants={"commerce.customer": {"view": AccessLevel.BUSINESS_UNIT}}
    )
    mine = make_customer("In my unit", owner=make_user("owner1", unit=tree.sales))
    other = make_customer("Elsewhere")  # owned by the admin in Main
    client = api_as(viewer)
    assert {i["id"] for i in client.get("customers").json()["items"]} == {mine.pk}
    assert client.get(f"customers/{other.pk}").status_code == 404
    assert client.patch(f"customers/{other.pk}", {"name": "Hacked"}).status_code == 404
    assert client.patch(f"customers/{mine.pk}", {"name": "Hacked"}).status_code == 403
    assert client.delete(f"customers/{mine.pk}").status_code == 403
    assert client.post("customers", {"name": "New"}).status_code == 403
    assert set(Customer.objects.values_list("name", flat=True)) == {"In my unit", "Elsewhere"}


def test_predefined_commerce_manager_can_work_and_sales_rep_only_views(api_as, make_user, tree):
    manager = make_user("cm", unit=tree.commerce, roles=["commerce_manager"])
    created = api_as(manager).post("customers", {"name": "By manager"})
    assert created.status_code == 201
    rep = make_user("rep", unit=tree.commerce, roles=["sales_rep"])
    assert api_as(rep).get(f"customers/{created.json()['id']}").status_code == 200
    assert api_as(rep).post("customers", {"name": "By rep"}).status_code == 403
    assert api_as(rep).patch(f"customers/{created.json()['id']}", {"name": "x"}).status_code == 403


def test_get_customer_query_count_is_bounded(api, make_customer, django_assert_max_num_queries):
    root = make_customer("Root")
    node = root
    for i in range(30):
        node = make_customer(f"N{i}", node, addresses=[{"street": "s", "city": "c", "country": "US"}])
    api.get(f"customers/{root.pk}")  # warm the token cache paths
    with django_assert_max_num_queries(8):
        assert api.get(f"customers/{node.pk}").status_code == 200
    with django_assert_max_num_queries(10):
        assert api.get("customers", subtree_of=root.pk).json()["count"] == 31
