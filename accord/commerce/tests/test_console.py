"""Console pages: render, create, field errors (cycles on `parent`), ACL, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accord.commerce.models import Customer, CustomerUserRole, Product
from accord.platform.models import AccessLevel


@pytest.fixture
def console(console_as, admin):
    return console_as(admin)


@pytest.mark.parametrize(
    "name", ["customers", "customer_users", "customer_groups", "customer_user_roles", "products"]
)
def test_lists_and_new_forms_render(console, name):
    assert console.get(reverse(f"console:{name}_list")).status_code == 200
    assert console.get(reverse(f"console:{name}_create")).status_code == 200
    assert console.get(reverse(f"console:{name}_list"), {"export": "csv"}).status_code == 200


def test_menu_shows_commerce_items(console):
    html = console.get(reverse("console:dashboard")).content.decode()
    for url in ("customers_list", "customer_users_list", "customer_groups_list", "products_list"):
        assert reverse(f"console:{url}") in html


def test_create_customer_and_view_page(console, make_customer, make_customer_user, admin):
    root = make_customer("Root Co")
    response = console.post(reverse("console:customers_create"), {"name": "Child Co", "parent": root.pk})
    assert response.status_code == 302
    child = Customer.objects.get(name="Child Co")
    assert child.parent_id == root.pk
    assert child.owner_id == admin.pk
    make_customer("Grandchild Co", child)
    make_customer_user(child, first_name="Vera", last_name="Visible")
    page = console.get(reverse("console:customers_view", args=[child.pk])).content.decode()
    assert "Root Co" in page
    assert "Grandchild Co" in page
    assert "Vera Visible" in page
    assert 'aria-current="true"' in page
    assert "3 customers" not in page
    assert "2 customers" in page


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_customer_form_shows_cycles_on_parent(console, make_customer, target):
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    new_parent = {"self": root, "child": child, "grandchild": grandchild}[target]
    response = console.post(
        reverse("console:customers_edit", args=[root.pk]), {"name": "Root", "parent": new_parent.pk}
    )
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    root.refresh_from_db()
    assert root.parent_id is None


def test_form_field_errors(console):
    response = console.post(reverse("console:customers_create"), {"name": ""})
    assert response.status_code == 400
    assert "name" in response.context["form"].errors
    response = console.post(
        reverse("console:customer_users_create"), {"email": "x@y", "first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 400
    assert "customer" in response.context["form"].errors


def test_create_customer_user_and_role_and_product(console, make_customer, buyer_role):
    acme = make_customer("Acme")
    response = console.post(
        reverse("console:customer_users_create"),
        {
            "email": "ann@acme.test",
            "first_name": "Ann",
            "last_name": "Lee",
            "customer": acme.pk,
            "roles": [buyer_role.pk],
            "enabled": "on",
            "confirmed": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    no_role = console.post(
        reverse("console:customer_users_create"),
        {"email": "bob@acme.test", "first_name": "Bob", "last_name": "Lee", "customer": acme.pk},
    )
    assert no_role.status_code == 400
    assert "roles" in no_role.context["form"].errors
    grants = {"grant__commerce.order__view": "2"}
    response = console.post(
        reverse("console:customer_user_roles_create"),
        {"label": "Approver", "customer": acme.pk, "public": "on", **grants},
    )
    assert response.status_code == 302
    role = CustomerUserRole.objects.get(label="Approver")
    assert role.grants.get().level == 2
    page = console.get(reverse("console:customer_user_roles_view", args=[role.pk]))
    assert "Department (Same Level)" in page.content.decode()
    bad = console.post(
        reverse("console:customer_user_roles_create"),
        {"label": "Own", "grant__commerce.customer_user__view": "1"},
    )
    assert bad.status_code == 400
    response = console.post(
        reverse("console:products_create"),
        {"sku": "SKU-1", "name": "Paper", "unit_price": "4.90", "currency": "usd", "status": "enabled"},
    )
    assert response.status_code == 302
    assert Product.objects.get().currency == "USD"


def test_denied_console_paths_write_nothing(console_as, make_user, make_customer, tree):
    viewer = make_user(
        "viewer", unit=tree.main, grants={"commerce.customer": {"view": AccessLevel.ORGANIZATION}}
    )
    customer = make_customer("Stable")
    client = console_as(viewer)
    assert client.get(reverse("console:customers_view", args=[customer.pk])).status_code == 200
    assert client.post(reverse("console:customers_create"), {"name": "New"}).status_code == 403
    assert (
        client.post(reverse("console:customers_edit", args=[customer.pk]), {"name": "Changed"}).status_code
        == 403
    )
    assert client.post(reverse("console:customers_delete", args=[customer.pk])).status_code == 403
    nobody = console_as(make_user("nobody"))
    assert nobody.get(reverse("console:customers_list")).status_code == 403
    assert list(Customer.objects.values_list("name", flat=True)) == ["Stable"]


def test_customer_view_query_count_is_bounded(
    console, make_customer, make_customer_user, django_assert_max_num_queries
):
    def build(size):
        root = make_customer(f"Root {size}")
        node = root
        for i in range(size):
            node = make_customer(f"N{size}-{i}", node if i % 3 else root)
            make_customer_user(node)
        return root

    small, large = build(2), build(40)
    counts = []
    for root in (small, large):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert console.get(reverse("console:customers_view", args=[root.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(30):
        console.get(reverse("console:customers_view", args=[large.pk]))


def test_delete_page_explains_the_impact(console, make_customer):
    root = make_customer("Root")
    make_customer("Kid", root)
    page = console.get(reverse("console:customers_delete", args=[root.pk])).content.decode()
    assert "become root customers" in page
    assert console.post(reverse("console:customers_delete", args=[root.pk])).status_code == 302
    assert Customer.objects.get().parent_id is None
