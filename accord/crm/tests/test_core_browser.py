"""In a real browser: create a contact and an account in the console, link them, merge two
accounts from the grid's selection, then undo the merge."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.crm.models import Account, Contact, Merge
from accord.platform.tests.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_link_merge_and_undo_in_the_console(live_server: Any, page: Any, make_user: Any) -> None:
    admin = make_user("ada.admin", roles=["administrator"])
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/console/")
    page.get_by_label("Username").fill(admin.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/console/")

    page.goto(f"{live_server.url}/console/contacts/new/")
    page.get_by_label("First name").fill("Ann")
    page.get_by_label("Last name").fill("Lee")
    page.get_by_label("Emails").fill("ann@example.com")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/console/contacts/\d+/$"))
    ann = Contact.objects.get(first_name="Ann")

    for name in ("Acme", "ACME Ltd"):
        page.goto(f"{live_server.url}/console/accounts/new/")
        page.get_by_label("Name", exact=True).fill(name)
        page.get_by_label("Default contact (id)").fill(str(ann.pk))
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r".*/console/accounts/\d+/$"))
    assert page.get_by_text("Ann Lee").first.is_visible()

    page.goto(f"{live_server.url}/console/accounts/")
    for account in Account.objects.all():
        page.get_by_label(f"Select {account.name}", exact=True).check()
    page.get_by_role("button", name="Merge selected").click()
    page.wait_for_url(re.compile(r".*/console/accounts/merge/.*"))
    page.get_by_role("button", name="Preview").click()
    assert page.locator("#merge-preview").is_visible()
    page.get_by_role("button", name="Merge", exact=True).click()
    page.wait_for_url(re.compile(r".*/console/merges/\d+/$"))
    assert Account.objects.count() == 1

    page.get_by_role("link", name="Undo").click()
    page.get_by_role("button", name="Undo the merge").click()
    page.wait_for_url(re.compile(r".*/console/accounts/\d+/$"))
    assert Account.objects.count() == 2
    assert Merge.objects.get().status == "undone"
    assert all(list(a.contacts.all()) == [ann] for a in Account.objects.all())
    assert errors == []
