"""GET /api/v1/accounts builds its rows from columns: same shape and contact ACL as the detail."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.crm.api.core_schemas import AccountOut
from accord.crm.models import Account, Contact
from accord.platform.api.lists import page_built
from accord.platform.models import User

LIST_KEYS = set(AccountOut.model_fields)


def _same_as_detail(api: Any, items: list[dict[str, Any]]) -> None:
    for item in items:
        detail = api.get(f"accounts/{item['id']}").json()
        assert item == {key: detail[key] for key in LIST_KEYS}


def test_rows_match_the_detail_and_carry_only_the_contacts_the_caller_may_view(
    api_as: Any,
    admin: User,
    rep: User,
    other_rep: User,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
) -> None:
    mine_contact = make_contact("Mina", "Mine", owner=rep)
    theirs_contact = make_contact("Theo", "Theirs", owner=other_rep)
    mine = make_account(
        "Mine Ltd", owner=rep, default_contact=mine_contact, contacts=[mine_contact, theirs_contact]
    )
    make_account("Theirs Ltd", owner=other_rep, contacts=[theirs_contact], external_id="T-1")
    make_account("Bare Ltd", referred_by=mine)

    as_rep = api_as(rep)
    items = as_rep.get("accounts").json()["items"]
    assert [(i["name"], i["contact_ids"]) for i in items] == [("Mine Ltd", [mine_contact.pk])]
    _same_as_detail(as_rep, items)

    as_admin = api_as(admin)
    body = as_admin.get("accounts", sort="-name").json()
    assert body["count"] == 3
    assert [i["name"] for i in body["items"]] == ["Theirs Ltd", "Mine Ltd", "Bare Ltd"]
    assert body["items"][1]["contact_ids"] == sorted([mine_contact.pk, theirs_contact.pk])
    assert body["items"][2]["contact_ids"] == []
    _same_as_detail(as_admin, body["items"])
    assert as_admin.get("accounts", contact_id=theirs_contact.pk, sort="name").json()["count"] == 2


def test_denied_callers_get_no_rows(
    api_as: Any, make_user: Callable[..., User], make_account: Callable[..., Account]
) -> None:
    make_account("Hidden Ltd")
    nobody = make_user("no.grants", grants={"crm.contact": {"view": 4}})
    assert api_as(nobody).get("accounts").json() == {"count": 0, "count_exact": True, "items": []}
    assert api_as(None).get("accounts").status_code == 401


def test_query_count_does_not_grow_with_the_page(
    api_as: Any,
    admin: User,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
    django_assert_max_num_queries: Any,
) -> None:
    api = api_as(admin)
    api.get("accounts")  # warm the token and permission paths
    counts = []
    for size in (2, 12):
        while Account.objects.count() < size:
            make_account(f"A{Account.objects.count()}", contacts=[make_contact(), make_contact()])
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("accounts", page_size=50).json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        assert all(len(item["contact_ids"]) == 2 for item in items)
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(5):
        api.get("accounts")


def test_a_row_missing_a_field_is_refused() -> None:
    with pytest.raises(TypeError, match="contact_ids"):
        page_built(AccountOut, 1, [dict.fromkeys(LIST_KEYS - {"contact_ids"})])
