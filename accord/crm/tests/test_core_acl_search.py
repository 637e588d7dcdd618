"""A Sales Rep (user level on accounts and contacts) sees and changes only its own records, in
grids, view pages, the API, search and CSV export alike; search finds accounts by their contacts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from accord.crm.models import Account, Contact
from accord.crm.services.accounts import account_update
from accord.crm.services.contacts import contact_update
from accord.platform.models import User
from accord.platform.search import search


@pytest.fixture
def records(
    rep: User, other_rep: User, make_account: Callable[..., Account], make_contact: Any
) -> dict[str, Any]:
    mine_contact = make_contact(
        "Mina", "Mine", owner=rep, emails=[{"email": "mina@mine.example", "primary": True}]
    )
    theirs_contact = make_contact(
        "Theo", "Theirs", owner=other_rep, phones=[{"phone": "+44 20 7946 0000", "primary": True}]
    )
    mine = make_account("Mine Ltd", owner=rep, contacts=[mine_contact, theirs_contact])
    theirs = make_account("Theirs Ltd", owner=other_rep, contacts=[theirs_contact])
    return {"mine": mine, "theirs": theirs, "mine_contact": mine_contact, "theirs_contact": theirs_contact}


def test_sales_rep_grid_and_csv_export_show_only_own_records(
    console_as: Any, rep: User, records: Any
) -> None:
    client = console_as(rep)
    page = client.get(reverse("console:accounts_list")).content.decode()
    assert "Mine Ltd" in page
    assert "Theirs Ltd" not in page
    csv = b"".join(client.get(reverse("console:accounts_list"), {"export": "csv"}).streaming_content).decode()
    assert "Mine Ltd" in csv
    assert "Theirs Ltd" not in csv
    csv = b"".join(client.get(reverse("console:contacts_list"), {"export": "csv"}).streaming_content).decode()
    assert "Mina" in csv
    assert "Theo" not in csv


def test_sales_rep_view_pages_404_outside_and_hide_others_contacts(
    console_as: Any, rep: User, records: Any
) -> None:
    client = console_as(rep)
    assert client.get(reverse("console:accounts_view", args=[records["theirs"].pk])).status_code == 404
    assert (
        client.get(reverse("console:contacts_view", args=[records["theirs_contact"].pk])).status_code == 404
    )
    page = client.get(reverse("console:accounts_view", args=[records["mine"].pk])).content.decode()
    assert "Mina Mine" in page
    assert "Theo Theirs" not in page
    assert client.get(reverse("console:accounts_edit", args=[records["mine"].pk])).status_code == 200
    assert client.get(reverse("console:accounts_delete", args=[records["mine"].pk])).status_code == 403
    assert client.post(reverse("console:accounts_delete", args=[records["mine"].pk])).status_code == 403
    assert Account.objects.filter(pk=records["mine"].pk).exists()


def test_sales_rep_edit_in_console_keeps_contacts_it_cannot_see(
    console_as: Any, rep: User, records: Any
) -> None:
    client = console_as(rep)
    mine = records["mine"]
    response = client.post(
        reverse("console:accounts_edit", args=[mine.pk]),
        {"name": "Mine Ltd 2", "contacts": str(records["mine_contact"].pk)},
    )
    assert response.status_code == 302
    assert set(mine.contacts.all()) == {records["mine_contact"], records["theirs_contact"]}


def test_sales_rep_api_lists_reads_and_writes_only_own_records(api_as: Any, rep: User, records: Any) -> None:
    api = api_as(rep)
    assert [a["name"] for a in api.get("accounts").json()["items"]] == ["Mine Ltd"]
    assert api.get(f"accounts/{records['theirs'].pk}").status_code == 404
    assert api.patch(f"accounts/{records['theirs'].pk}", {"name": "Hacked"}).status_code == 404
    detail = api.get(f"accounts/{records['mine'].pk}").json()
    assert detail["contact_ids"] == [records["mine_contact"].pk]
    assert api.delete(f"accounts/{records['mine'].pk}").status_code == 403
    assert api.patch(f"accounts/{records['mine'].pk}", {"contact_ids": []}).status_code == 200
    assert list(records["mine"].contacts.all()) == [records["theirs_contact"]]
    refused = api.post("accounts", {"name": "X", "contact_ids": [records["theirs_contact"].pk]})
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "contact_ids")
    assert api.post("contacts", {"first_name": "New"}).status_code == 201
    assert Contact.objects.get(first_name="New").owner_id == rep.pk
    assert Account.objects.get(pk=records["theirs"].pk).name == "Theirs Ltd"


def test_sales_rep_cannot_give_a_record_to_someone_else(api_as: Any, rep: User, other_rep: User) -> None:
    response = api_as(rep).post("accounts", {"name": "Gift", "owner_id": other_rep.pk})
    assert response.status_code == 403
    assert not Account.objects.filter(name="Gift").exists()


def test_search_finds_an_account_by_its_contacts_names_emails_and_phones(admin: User, records: Any) -> None:
    """oro-spec #107."""
    mine, theirs = records["mine"], records["theirs"]
    for query, expected in (
        ("Mine Ltd", {mine.pk}),
        ("Mina", {mine.pk}),
        ("mina@mine.example", {mine.pk}),
        ("Theirs", {mine.pk, theirs.pk}),
        ("7946", {mine.pk, theirs.pk}),
    ):
        hits = {h.object_id for h in search(admin, query, entity="crm.account")}
        assert hits == expected, query


def test_search_follows_contact_changes(admin: User, records: Any) -> None:
    contact_update(contact=records["mine_contact"], actor=admin, last_name="Renamed")
    assert {h.object_id for h in search(admin, "Renamed", entity="crm.account")} == {records["mine"].pk}
    account_update(account=records["theirs"], actor=admin, contacts=[])
    assert {h.object_id for h in search(admin, "Theirs", entity="crm.account")} == {
        records["mine"].pk,
        records["theirs"].pk,  # its own name still matches
    }
    assert {h.object_id for h in search(admin, "Theo", entity="crm.account")} == {records["mine"].pk}


def test_search_finds_contacts_by_name_email_and_phone(admin: User, records: Any) -> None:
    for query in ("Mina", "mina@mine.example", "Mine"):
        assert records["mine_contact"].pk in {h.object_id for h in search(admin, query, entity="crm.contact")}
    assert {h.object_id for h in search(admin, "7946", entity="crm.contact")} == {
        records["theirs_contact"].pk
    }


def test_sales_rep_search_finds_only_own_records(api_as: Any, rep: User, records: Any) -> None:
    body = api_as(rep).get("search", q="Theirs").json()
    assert {(i["entity"], i["id"]) for i in body["items"]} == {("crm.account", records["mine"].pk)}
    assert {h.object_id for h in search(rep, "Theo")} == {records["mine"].pk}
