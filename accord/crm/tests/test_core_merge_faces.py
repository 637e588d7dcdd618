"""Merge and undo through the API (`POST /accounts/merge`, `/merges/{id}/undo`) and the console wizard."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from accord.crm.models import Account, Merge


def test_api_merge_dry_run_merge_and_undo(
    api_as: Any, admin: Any, make_account: Any, make_contact: Any
) -> None:
    api = api_as(admin)
    ann = make_contact("Ann")
    accounts = [make_account(f"Acme {i}", contacts=[ann] if i == 2 else []) for i in range(6)]  # more than 5
    master, others = accounts[0], accounts[1:]
    body = {
        "master_id": master.pk,
        "account_ids": [a.pk for a in accounts],
        "field_choices": {"name": others[0].pk},
    }
    preview = api.post("accounts/merge", {**body, "dry_run": True})
    assert preview.status_code == 200, preview.json()
    assert preview.json()["summary"]["fields"]["name"] == {"old": "Acme 0", "new": "Acme 1"}
    assert Account.objects.count() == 6
    merged = api.post("accounts/merge", body)
    assert merged.status_code == 201, merged.json()
    assert merged.json()["merged_ids"] == [a.pk for a in others]
    assert api.get(f"accounts/{master.pk}").json()["contact_ids"] == [ann.pk]
    assert Account.objects.count() == 1
    merge_id = merged.json()["id"]
    assert api.get("merges").json()["count"] == 1
    undone = api.post(f"merges/{merge_id}/undo")
    assert undone.status_code == 200, undone.json()
    assert undone.json()["status"] == "undone"
    assert Account.objects.count() == 6
    again = api.post(f"merges/{merge_id}/undo")
    assert again.status_code == 409


def test_api_merge_errors_and_undo_conflict_name_what_changed(
    api_as: Any, admin: Any, make_account: Any
) -> None:
    api = api_as(admin)
    master, other = make_account("A"), make_account("B")
    one = api.post("accounts/merge", {"master_id": master.pk, "account_ids": [master.pk]})
    assert (one.status_code, one.json()["errors"][0]["field"]) == (422, "account_ids")
    bad = api.post(
        "accounts/merge", {"master_id": master.pk, "account_ids": [other.pk], "field_choices": {"x": 1}}
    )
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "field_choices.x")
    assert api.post("accounts/merge", {"master_id": master.pk, "account_ids": [999999]}).status_code == 404
    merge_id = api.post("accounts/merge", {"master_id": master.pk, "account_ids": [other.pk]}).json()["id"]
    api.patch(f"accounts/{master.pk}", {"name": "Changed"})
    conflict = api.post(f"merges/{merge_id}/undo")
    assert conflict.status_code == 409
    assert "“Changed”" in conflict.json()["message"]
    assert "edited since the merge" in conflict.json()["message"]


def test_sales_rep_cannot_merge_without_delete_grant(api_as: Any, rep: Any, make_account: Any) -> None:
    """oro-spec §2.9: merging needs edit on the master and delete on the others."""
    master, other = make_account("A", owner=rep), make_account("B", owner=rep)
    response = api_as(rep).post("accounts/merge", {"master_id": master.pk, "account_ids": [other.pk]})
    assert response.status_code == 403
    assert Account.objects.count() == 2
    assert not Merge.objects.exists()
    assert api_as(rep).get("merges").status_code == 200
    assert api_as(rep).get("merges").json()["count"] == 0


def test_console_merge_wizard_from_the_grid_selection_then_undo(
    console_as: Any, admin: Any, make_account: Any
) -> None:
    console = console_as(admin)
    master, other = make_account("Acme"), make_account("ACME Ltd", description="from other")
    grid = console.get(reverse("console:accounts_list")).content.decode()
    assert 'form="account-merge"' in grid
    assert f'value="{other.pk}"' in grid
    url = reverse("console:accounts_merge")
    assert console.get(url, {"ids": [master.pk]}).status_code == 302  # one account is not a merge
    page = console.get(url, {"ids": [master.pk, other.pk]})
    assert page.status_code == 200
    data = {"ids": [master.pk, other.pk], "master": master.pk, "choice_description": other.pk}
    preview = console.post(url, {**data, "action": "preview"}).content.decode()
    assert "merge-preview" in preview
    assert Account.objects.count() == 2
    response = console.post(url, {**data, "action": "merge"})
    assert response.status_code == 302
    merge = Merge.objects.get()
    assert response["Location"] == reverse("console:merges_view", args=[merge.pk])
    assert Account.objects.get().description == "from other"
    view = console.get(reverse("console:merges_view", args=[merge.pk])).content.decode()
    assert reverse("console:merges_undo", args=[merge.pk]) in view
    assert console.get(reverse("console:merges_list")).status_code == 200
    assert console.post(reverse("console:merges_undo", args=[merge.pk])).status_code == 302
    assert Account.objects.count() == 2


def test_console_undo_conflict_is_shown(console_as: Any, admin: Any, make_account: Any) -> None:
    from accord.crm.services.accounts import account_update
    from accord.crm.services.merges import accounts_merge

    master, other = make_account("A"), make_account("B")
    merge = accounts_merge(master=master, others=[other], actor=admin).merge
    assert merge is not None
    account_update(account=master, actor=admin, description="edited")
    response = console_as(admin).post(reverse("console:merges_undo", args=[merge.pk]))
    assert response.status_code == 409
    assert "edited since the merge" in response.content.decode()
