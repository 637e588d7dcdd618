"""Counts stay cheap on large tables: exact up to ACCORD_COUNT_LIMIT, "more than" above it (decision 0078)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.platform.counting import Count, count_capped
from accord.platform.models import User
from accord.platform.tests.test_grid import URL, _bulk, _count, _usernames

pytestmark = pytest.mark.django_db


def test_exact_up_to_the_limit_and_more_than_it_above(tree, settings) -> None:
    users = User.objects.all()
    total = users.count()
    settings.ACCORD_COUNT_LIMIT = total
    assert count_capped(users) == Count(total, True)
    settings.ACCORD_COUNT_LIMIT = total - 1
    assert count_capped(users) == Count(total - 1, False)
    assert str(count_capped(users)) == f"more than {total - 1:,}"
    assert count_capped(users, exact=True) == Count(total, True)


def test_the_capped_count_reads_at_most_limit_plus_one_rows(tree, settings) -> None:
    settings.ACCORD_COUNT_LIMIT = 2
    with CaptureQueriesContext(connection) as captured:
        count_capped(User.objects.all())
    (query,) = captured.captured_queries
    assert re.search(r"LIMIT 3\b", query["sql"])


def test_api_lists_say_whether_the_count_is_exact(tree, admin, api_as, settings) -> None:
    _bulk(tree, 6)
    total = User.objects.filter(organization=admin.organization).count()
    api = api_as(admin)
    settings.ACCORD_COUNT_LIMIT = 4

    capped = api.get("users", page_size=2).json()
    exact = api.get("users", page_size=2, count="exact").json()
    refused = api.get("users", count="all")

    assert (capped["count"], capped["count_exact"], len(capped["items"])) == (4, False, 2)
    assert (exact["count"], exact["count_exact"]) == (total, True)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["query.count"]
    settings.ACCORD_COUNT_LIMIT = 10_000
    assert api.get("users").json()["count_exact"] is True


def test_the_grid_says_more_than_and_pages_on_while_pages_are_full(tree, admin, console_as, settings) -> None:
    _bulk(tree, 30)  # 31 users with the administrator, 25 a page
    settings.ACCORD_COUNT_LIMIT = 10
    client = console_as(admin)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    beyond = client.get(URL, {"page": 9})

    assert _count(first) == 10
    assert "1–25 of more than 10" in first.content.decode()
    assert "data-grid-count-more" in first.content.decode()
    assert "Page 1<" in first.content.decode()  # no "of N": the number of pages is not known
    assert len(_usernames(first)) == 25
    assert len(_usernames(second)) == 6
    assert "26–31 of more than 10" in second.content.decode()
    assert _usernames(beyond) == []  # not clamped to a last page it cannot know
    settings.ACCORD_COUNT_LIMIT = 100
    assert "1–25 of 31" in client.get(URL).content.decode()
