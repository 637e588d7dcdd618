"""GET /api/v1/customers builds its rows from columns: same shape as the detail (sales representatives,
addresses, extension keys), ACL, and a query count that does not grow with the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce.models import Customer
from accord.platform.models import AccessLevel, User

ADDRESSES = [
    {"street": "1 Main", "city": "Town", "country": "DE", "is_billing": True, "is_default_billing": True},
    {"label": "Dock", "street": "2 Quay", "city": "Port", "country": "FR", "is_shipping": True},
]


def _same_as_detail(api: Any, items: list[dict[str, Any]]) -> None:
    for item in items:
        assert item == api.get(f"customers/{item['id']}").json()


def test_rows_match_the_detail(
    api_as: Any, admin: User, make_user: Callable[..., User], make_customer: Callable[..., Customer]
) -> None:
    zed, abe = make_user("zed.rep"), make_user("abe.rep")
    root = make_customer("Root", external_id="R-1", internal_rating="4_of_5")
    api = api_as(admin)
    child = api.post(
        "customers",
        {
            "name": "Child",
            "parent_id": root.pk,
            "sales_representative_ids": [zed.pk, abe.pk],
            "addresses": [
                {
                    "street": "1 Main",
                    "city": "Town",
                    "country": "de",
                    "types": ["billing"],
                    "default_types": ["billing"],
                },
                {
                    "label": "Dock",
                    "street": "2 Quay",
                    "city": "Port",
                    "country": "fr",
                    "types": ["shipping", "billing"],
                },
            ],
        },
    )
    assert child.status_code == 201, child.json()
    body = api.get("customers", sort="name").json()
    assert body["count"] == 2
    first = body["items"][0]
    assert first["sales_representative_ids"] == [abe.pk, zed.pk]  # the users' order, as the detail
    assert [a["types"] for a in first["addresses"]] == [["billing"], ["billing", "shipping"]]
    assert first["addresses"][0]["default_types"] == ["billing"]
    assert body["items"][1]["addresses"] == []
    _same_as_detail(api, body["items"])
    assert [i["id"] for i in api.get("customers", subtree_of=root.pk, sort="-depth").json()["items"]] == [
        child.json()["id"],
        root.pk,
    ]


def test_rows_follow_the_acl(
    api_as: Any, make_user: Callable[..., User], make_customer: Callable[..., Customer]
) -> None:
    own = make_user("own.only", grants={"commerce.customer": {"view": AccessLevel.USER}})
    mine = make_customer("Mine", owner=own)
    make_customer("Theirs")
    api = api_as(own)
    body = api.get("customers").json()
    assert (body["count"], [i["id"] for i in body["items"]]) == (1, [mine.pk])
    _same_as_detail(api, body["items"])
    nobody = make_user("no.grants", grants={"crm.account": {"view": AccessLevel.ORGANIZATION}})
    assert api_as(nobody).get("customers").json() == {"count": 0, "count_exact": True, "items": []}


def test_query_count_does_not_grow_with_the_page(
    api_as: Any,
    admin: User,
    make_user: Callable[..., User],
    make_customer: Callable[..., Customer],
    django_assert_max_num_queries: Any,
) -> None:
    reps = [make_user("r1"), make_user("r2")]
    api = api_as(admin)
    api.get("customers")  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Customer.objects.count() < size:
            make_customer(f"C{Customer.objects.count()}", sales_representatives=reps, addresses=ADDRESSES)
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("customers", sort="id").json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        assert all(len(i["addresses"]) == 2 and len(i["sales_representative_ids"]) == 2 for i in items)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(7):
        api.get("customers")
