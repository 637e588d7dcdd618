"""A real browser logs in, opens Users through the sidebar menu, sees the grid and a user's page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accord.platform.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_open_users_through_the_menu_and_view_a_user(live_server, page, make_user, tree) -> None:
    admin = make_user("ada.admin", roles=["administrator"])
    colleague = make_user("cole.rep", unit=tree.east, roles=["sales_rep"])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server.url}/console/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/console/")

    menu = page.get_by_role("navigation", name="Main menu")
    menu.get_by_role("link", name="Users", exact=True).click()
    page.wait_for_url(f"{live_server.url}/console/users/")

    grid = page.locator("#grid-users")
    assert grid.locator("tbody tr").count() == 2
    expect(grid.get_by_role("link", name="cole.rep")).to_be_visible()
    assert menu.locator('a[data-menu="users"]').get_attribute("class").split().count("active") == 1

    grid.get_by_role("link", name="cole.rep").click()
    page.wait_for_url(re.compile(rf".*/console/users/{colleague.pk}/$"))

    expect(page.get_by_role("heading", name="cole.rep").first).to_be_visible()
    expect(page.get_by_text("Sales East").first).to_be_visible()
    expect(page.get_by_text("Change history")).to_be_visible()
    assert errors == []
