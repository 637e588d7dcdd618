"""GET /api/v1/contacts builds its rows from columns: the same items as the detail, in a fixed
number of queries, and only the contacts the caller may view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.crm.api.core_schemas import ContactOut
from accord.crm.models import Account, Contact, ContactGroup
from accord.platform.models import User


def _full_contact(
    make_contact: Callable[..., Contact], account: Account, group: ContactGroup, **kw: Any
) -> Contact:
    return make_contact(
        "Ann",
        gender="female",
        birthday=dt.date(1990, 5, 17),
        job_title="CTO",
        emails=[{"email": "ann@example.com"}, {"email": "a.lee@example.com", "primary": True}],
        phones=[{"phone": "+1 555 0100", "primary": True}, {"phone": "+1 555 0101"}],
        addresses=[
            {"street": "1 Main", "city": "Oslo", "country": "no", "types": ["shipping"]},
            {"street": "2 Side", "city": "Bergen", "country": "no", "types": ["billing"], "primary": True},
        ],
        groups=[group],
        accounts=[account],
        **kw,
    )


def test_rows_are_the_details_items(
    api_as: Any,
    admin: User,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
) -> None:
    first, second = make_account("First Ltd"), make_account("Second Ltd")
    group = ContactGroup.objects.create(
        label="VIP", organization=first.organization, business_unit_id=first.business_unit_id
    )
    full = _full_contact(make_contact, first, group)
    Account.contacts.through.objects.create(account=second, contact=full)
    bare = make_contact("Bob", reports_to=full)

    api = api_as(admin)
    body = api.get("contacts", sort="first_name").json()

    assert [item["id"] for item in body["items"]] == [full.pk, bare.pk]
    for item in body["items"]:
        assert item == api.get(f"contacts/{item['id']}").json()
        assert set(item) == set(ContactOut.model_fields)
    ann = body["items"][0]
    assert [e["email"] for e in ann["emails"]] == ["a.lee@example.com", "ann@example.com"]  # primary first
    assert [(a["city"], a["types"]) for a in ann["addresses"]] == [
        ("Bergen", ["billing"]),
        ("Oslo", ["shipping"]),
    ]
    assert (ann["group_ids"], ann["account_ids"]) == ([group.pk], sorted([first.pk, second.pk]))
    assert body["items"][1]["emails"] == []
    assert body["items"][1]["reports_to_id"] == full.pk


def test_only_the_contacts_the_caller_may_view(
    api_as: Any,
    rep: User,
    other_rep: User,
    make_contact: Callable[..., Contact],
    make_user: Callable[..., User],
) -> None:
    mine = make_contact("Mina", owner=rep)
    make_contact("Theo", owner=other_rep)

    assert [item["id"] for item in api_as(rep).get("contacts").json()["items"]] == [mine.pk]
    nobody = make_user("no.grants", grants={"crm.account": {"view": 4}})
    assert api_as(nobody).get("contacts").json() == {"count": 0, "count_exact": True, "items": []}
    assert api_as(None).get("contacts").status_code == 401


def test_query_count_does_not_grow_with_the_page(
    api_as: Any, admin: User, make_account: Callable[..., Account], make_contact: Callable[..., Contact]
) -> None:
    account = make_account()
    group = ContactGroup.objects.create(
        label="Press", organization=account.organization, business_unit_id=account.business_unit_id
    )
    api = api_as(admin)
    api.get("contacts")  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Contact.objects.count() < size:
            _full_contact(make_contact, account, group)
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("contacts", page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        assert all(len(item["emails"]) == 2 and len(item["addresses"]) == 2 for item in items)
    assert counts[0] == counts[1]
