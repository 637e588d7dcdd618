"""GET /api/v1/customer-users builds its rows from columns (decision 0087): each item is the user's
detail (roles in the roles' order, addresses with their types), in a number of queries that does not
grow with the page, and only the users the caller may view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole
from accord.commerce.services.roles import customer_user_role_create
from accord.platform.models import AccessLevel, User

ADDRESSES = [
    {"street": "1 Main", "city": "Town", "country": "DE", "types": ["billing"], "default_types": ["billing"]},
    {"label": "Dock", "street": "2 Quay", "city": "Port", "country": "FR", "types": ["shipping"]},
]


def test_each_row_is_the_users_detail(
    api_as: Any,
    admin: User,
    buyer_role: CustomerUserRole,
    make_customer: Callable[..., Customer],
    make_customer_user: Callable[..., CustomerUser],
) -> None:
    customer = make_customer("Acme")
    aardvark = customer_user_role_create(label="Aardvark approvers", customer=customer, actor=admin)
    rich = make_customer_user(customer, roles=[buyer_role, aardvark], addresses=ADDRESSES, last_name="Able")
    make_customer_user(customer, last_name="Baker", enabled=False)

    api = api_as(admin)
    items = api.get("customer-users", sort="last_name").json()["items"]

    for item in items:
        assert item == api.get(f"customer-users/{item['id']}").json()
    assert items[0]["id"] == rich.pk
    assert items[0]["role_ids"] == [aardvark.pk, buyer_role.pk]  # the roles' order (label), as the detail
    assert [(a["types"], a["default_types"]) for a in items[0]["addresses"]] == [
        (["billing"], ["billing"]),
        (["shipping"], []),
    ]
    assert (items[1]["addresses"], items[1]["enabled"]) == ([], False)


def test_only_the_users_the_caller_may_view(
    api_as: Any,
    admin: User,
    make_user: Callable[..., User],
    make_customer: Callable[..., Customer],
    make_customer_user: Callable[..., CustomerUser],
) -> None:
    me = make_user("me", grants={"commerce.customer_user": {"view": AccessLevel.USER}})
    customer = make_customer("Acme")
    mine = make_customer_user(customer, owner=me)
    make_customer_user(customer)

    assert [item["id"] for item in api_as(me).get("customer-users").json()["items"]] == [mine.pk]
    nobody = make_user("no.grants", grants={"commerce.customer": {"view": AccessLevel.ORGANIZATION}})
    assert api_as(nobody).get("customer-users").json() == {"count": 0, "count_exact": True, "items": []}
    assert api_as(None).get("customer-users").status_code == 401


def test_query_count_does_not_grow_with_the_page(
    api_as: Any,
    admin: User,
    admin_role: CustomerUserRole,
    buyer_role: CustomerUserRole,
    make_customer: Callable[..., Customer],
    make_customer_user: Callable[..., CustomerUser],
) -> None:
    customer = make_customer("Acme")
    api = api_as(admin)
    api.get("customer-users")  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while CustomerUser.objects.count() < size:
            make_customer_user(customer, roles=[buyer_role, admin_role], addresses=ADDRESSES)
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("customer-users", page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        assert all(len(item["role_ids"]) == 2 and len(item["addresses"]) == 2 for item in items)
    assert counts[0] == counts[1]
