"""The console grid over users: filters, sort, pagination, CSV export, ACL, query counts."""

from __future__ import annotations

import csv
import io
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.platform.models import AccessLevel, Role, User
from accord.platform.services.users import users_bulk_create

URL = "/console/users/"


def _usernames(response) -> list[str]:
    """Usernames of the grid rows, in order (the username cell links to the view page)."""
    return re.findall(r'<a href="/console/users/\d+/">([^<]+)</a>', response.content.decode())


def _count(response) -> int:
    return int(re.search(r'data-grid-count="(\d+)"', response.content.decode()).group(1))


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _bulk(tree, n: int, prefix: str = "bulk") -> None:
    rep = list(Role.objects.filter(name="sales_rep"))
    rows = [
        {"username": f"{prefix}{i:03}", "email": f"{prefix}{i}@example.com", "business_unit": tree.east}
        for i in range(n)
    ]
    users_bulk_create(rows=rows, password="irrelevant-password", roles={r["username"]: rep for r in rows})


def test_the_grid_lists_users_sorted_by_username(tree, admin, make_user, console_as) -> None:
    for name in ("cleo", "abel", "bert"):
        make_user(name, unit=tree.sales)

    response = console_as(admin).get(URL)

    assert response.status_code == 200
    assert _usernames(response) == ["abel", "bert", "cleo", "root-admin"]
    assert _count(response) == 4


def test_sort_by_a_column_and_descending(tree, admin, make_user, console_as) -> None:
    make_user("abel", unit=tree.sales).__class__.objects.filter(username="abel").update(email="z@example.com")
    make_user("bert", unit=tree.sales)
    client = console_as(admin)

    descending = client.get(URL, {"sort": "-username"})
    by_email = client.get(URL, {"sort": "email"})
    unknown = client.get(URL, {"sort": "password"})

    assert _usernames(descending) == ["root-admin", "bert", "abel"]
    assert _usernames(by_email) == ["bert", "root-admin", "abel"]
    assert _usernames(unknown) == ["abel", "bert", "root-admin"]  # falls back to the default sort


def test_filters_by_business_unit_enabled_flag_and_quick_search(tree, admin, make_user, console_as) -> None:
    make_user("east.one", unit=tree.east)
    make_user("east.two", unit=tree.east)
    make_user("sales.one", unit=tree.sales)
    User.objects.filter(username="east.two").update(is_active=False)
    client = console_as(admin)

    by_unit = client.get(URL, {"f_business_unit": tree.east.pk})
    disabled = client.get(URL, {"f_is_active": "no"})
    enabled_in_east = client.get(URL, {"f_business_unit": tree.east.pk, "f_is_active": "yes"})
    quick = client.get(URL, {"q": "SALES.O"})

    assert _usernames(by_unit) == ["east.one", "east.two"]
    assert _usernames(disabled) == ["east.two"]
    assert _usernames(enabled_in_east) == ["east.one"]
    assert _usernames(quick) == ["sales.one"]


def test_a_quick_search_of_two_characters_matches_the_start(tree, admin, make_user, console_as) -> None:
    """Shorter than three characters a search matches the start of a value (no trigram index holds a
    shorter part); from three on, any part of it."""
    make_user("alpha")
    make_user("kappa.al")
    client = console_as(admin)

    assert _usernames(client.get(URL, {"q": "al"})) == ["alpha"]
    assert _usernames(client.get(URL, {"q": "A"})) == ["alpha"]
    assert _usernames(client.get(URL, {"q": ".al"})) == ["kappa.al"]


def test_a_bad_filter_value_shows_an_error_and_does_not_filter(tree, admin, make_user, console_as) -> None:
    make_user("abel", unit=tree.sales)

    response = console_as(admin).get(URL, {"f_is_active": "perhaps", "f_last_login_from": "yesterday"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose yes or no." in content
    assert "Not a valid date (YYYY-MM-DD)." in content
    assert _usernames(response) == ["abel", "root-admin"]


def test_a_business_unit_of_another_organization_is_not_a_filter_choice(
    tree, admin, make_user, console_as
) -> None:
    make_user("stranger", unit=tree.other_main)

    response = console_as(admin).get(URL, {"f_business_unit": tree.other_main.pk})

    assert "Not one of the choices." in response.content.decode()
    assert "stranger" not in _usernames(response)


def test_pagination_splits_the_rows_and_clamps_the_page(tree, admin, console_as) -> None:
    _bulk(tree, 30)
    client = console_as(admin)

    first = client.get(URL)
    second = client.get(URL, {"page": 2})
    beyond = client.get(URL, {"page": 99})
    big = client.get(URL, {"page_size": 50})
    odd = client.get(URL, {"page_size": 7})

    assert len(_usernames(first)) == 25
    assert _usernames(first)[0] == "bulk000"
    assert _usernames(second) == ["bulk025", "bulk026", "bulk027", "bulk028", "bulk029", "root-admin"]
    assert _usernames(beyond) == _usernames(second)
    assert "Page 2 of 2" in second.content.decode()
    assert len(_usernames(big)) == 31
    assert len(_usernames(odd)) == 25  # only the offered page sizes
    assert _count(first) == 31


def test_htmx_requests_get_only_the_grid(tree, admin, console_as) -> None:
    response = console_as(admin).get(URL, headers={"HX-Request": "true", "HX-Target": "grid-users"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="grid-users"')
    assert _usernames(response) == ["root-admin"]


def test_csv_export_holds_the_filtered_sorted_rows(tree, admin, make_user, console_as) -> None:
    anna = make_user("anna", unit=tree.east, roles=["sales_rep"])
    User.objects.filter(pk=anna.pk).update(first_name="Anna", last_name="Berg")
    make_user("=cmd", unit=tree.east)
    make_user("zed", unit=tree.sales)

    response = console_as(admin).get(
        URL, {"export": "csv", "f_business_unit": tree.east.pk, "sort": "-username"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="users-')
    rows = _csv(response)
    assert rows[0] == ["Username", "Name", "Email", "Business unit", "Roles", "Enabled", "Last login"]
    assert rows[1:] == [
        ["anna", "Anna Berg", "anna@example.com", "Sales East", "Sales Rep", "yes", ""],
        ["'=cmd", "", "'=cmd@example.com", "Sales East", "", "yes", ""],
    ]


def test_csv_export_only_holds_what_the_user_may_see(tree, make_user, console_as) -> None:
    make_user("stranger", unit=tree.other_main)
    make_user("far", unit=tree.commerce)
    make_user("below", unit=tree.east)
    viewer = make_user("viewer", unit=tree.sales, grants={"platform.user": {"view": AccessLevel.DIVISION}})

    response = console_as(viewer).get(URL, {"export": "csv"})

    assert [row[0] for row in _csv(response)[1:]] == ["below", "viewer"]


def test_the_grid_only_shows_what_the_user_may_see(tree, make_user, console_as) -> None:
    make_user("stranger", unit=tree.other_main)
    make_user("below", unit=tree.east)
    make_user("same", unit=tree.sales)
    viewer = make_user(
        "viewer", unit=tree.sales, grants={"platform.user": {"view": AccessLevel.BUSINESS_UNIT}}
    )

    response = console_as(viewer).get(URL)

    assert _usernames(response) == ["same", "viewer"]


def test_the_grid_needs_the_view_grant(tree, make_user, console_as) -> None:
    response = console_as(make_user("nobody", unit=tree.sales)).get(URL)

    assert response.status_code == 403
    assert "<td>" not in response.content.decode()


def _queries_for_page(client, **params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(queries), len(_usernames(response))


def test_the_query_count_of_a_grid_page_does_not_grow_with_the_rows(tree, admin, console_as) -> None:
    client = console_as(admin)
    _bulk(tree, 4, prefix="few")
    _queries_for_page(client, page_size=100)  # warms the settings cache, which the first request fills
    small, small_rows = _queries_for_page(client, page_size=100)
    _bulk(tree, 55, prefix="many")

    large, large_rows = _queries_for_page(client, page_size=100)
    full_page, _ = _queries_for_page(client, page_size=25)

    assert (small_rows, large_rows) == (5, 60)
    assert large == small
    assert full_page == small


def test_the_query_count_of_an_export_does_not_grow_with_the_rows(tree, admin, console_as) -> None:
    client = console_as(admin)
    _bulk(tree, 4, prefix="few")
    with CaptureQueriesContext(connection) as small:
        rows_small = _csv(client.get(URL, {"export": "csv"}))
    _bulk(tree, 55, prefix="many")
    with CaptureQueriesContext(connection) as large:
        rows_large = _csv(client.get(URL, {"export": "csv"}))

    assert (len(rows_small), len(rows_large)) == (6, 61)
    assert len(large) == len(small)


def test_the_configured_page_size_is_the_default_and_offered(tree, admin, console_as) -> None:
    from accord.platform.services.settings import setting_set

    _bulk(tree, 30)
    setting_set(key="general.grid_page_size", value=10, actor=admin)
    client = console_as(admin)

    first = client.get(URL)
    odd = client.get(URL, {"page_size": 7})

    assert len(_usernames(first)) == 10
    assert "Page 1 of 4" in first.content.decode()
    assert '<option value="10" selected>' in first.content.decode()
    assert len(_usernames(odd)) == 10


def test_a_search_sorts_its_matches_rather_than_walking_an_index(tree, admin, console_as) -> None:
    """With a quick search or a filter (at most the count limit of matches) the page is ordered by
    expressions no index serves, so the database finds the matches first (decision 0088); the rows
    and their order are those of the plain sort."""
    _bulk(tree, 30)
    _bulk(tree, 5, prefix="other")
    client = console_as(admin)

    def page_sql(**params) -> tuple[str, object]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(URL, params)
        return next(q["sql"] for q in ctx.captured_queries if "LIMIT 25" in q["sql"]), response

    plain_sql, _ = page_sql()
    searched_sql, first = page_sql(q="bulk", sort="-username")
    _, second = page_sql(q="bulk", sort="-username", page=2)

    assert "COALESCE" not in plain_sql
    assert "COALESCE" in searched_sql
    expected = [f"bulk{i:03}" for i in reversed(range(30))]
    assert _usernames(first) + _usernames(second) == expected
    assert _count(first) == 30
