"""Account pages: "Merge selected" only for users who may merge, and the lifetime sales value in
the header of the account view (total and per-channel split) at a flat query count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.urls import reverse

from accord.crm.models import Account, Channel, Merge
from accord.crm.services.channels import channel_create
from accord.crm.services.lifetime import lifetime_value_record
from accord.crm.services.opportunities import opportunity_close_won
from accord.platform.models import AccessLevel, User

ORG = AccessLevel.ORGANIZATION
MERGE_BUTTON = "Merge selected"
CHECKBOX = 'form="account-merge"'
MERGES_LINK = reverse("console:merges_list")


def _list(client: Any) -> str:
    response = client.get(reverse("console:accounts_list"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_administrator_sees_the_merge_button_boxes_and_merges(
    console_as: Callable[..., Any], admin: User, make_account: Callable[..., Account]
) -> None:
    make_account("Acme")
    page = _list(console_as(admin))
    assert MERGE_BUTTON in page
    assert CHECKBOX in page
    assert MERGES_LINK in page


def test_a_sales_rep_who_may_not_delete_accounts_gets_no_merge_controls(
    console_as: Callable[..., Any], rep: User, make_account: Callable[..., Account]
) -> None:
    """Merging needs edit on the master and delete on the others; the sales rep has no delete."""
    mine, also_mine = make_account("Mine", owner=rep), make_account("Also mine", owner=rep)
    client = console_as(rep)
    page = _list(client)
    assert "Mine" in page
    assert MERGE_BUTTON not in page
    assert CHECKBOX not in page
    assert MERGES_LINK not in page
    grid = client.get(
        reverse("console:accounts_list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="grid-accounts"
    )
    assert CHECKBOX not in grid.content.decode()  # the htmx grid refresh leaves them out too
    response = client.post(
        reverse("console:accounts_merge"),
        {"ids": [mine.pk, also_mine.pk], "master": mine.pk, "action": "merge"},
    )
    assert response.status_code == 403
    assert not Merge.objects.exists()
    assert Account.objects.filter(pk__in=[mine.pk, also_mine.pk]).count() == 2


def test_edit_and_delete_give_the_button_and_the_merge_list_needs_its_own_grant(
    console_as: Callable[..., Any], make_user: Callable[..., User], make_account: Callable[..., Account]
) -> None:
    make_account("Acme")
    merger = make_user("merger", grants={"crm.account": {"view": ORG, "edit": ORG, "delete": ORG}})
    page = _list(console_as(merger))
    assert MERGE_BUTTON in page
    assert CHECKBOX in page
    assert MERGES_LINK not in page
    editor = make_user("editor", grants={"crm.account": {"view": ORG, "edit": ORG}})
    assert MERGE_BUTTON not in _list(console_as(editor))


def test_account_view_header_shows_the_lifetime_total_and_its_channels(
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Account],
    make_bc: Callable[..., Any],
    make_opportunity: Callable[..., Any],
    b2b: Channel,
) -> None:
    account = make_account("Acme")
    url = reverse("console:accounts_view", args=[account.pk])
    assert (
        "Lifetime value <span data-lifetime-total>0.00 USD</span>"
        in console_as(admin).get(url).content.decode()
    )
    for budget, target in (("100", {"account": account}), ("30.50", {"customer": make_bc("Buyer", account)})):
        deal = make_opportunity(budget=budget, **target)
        opportunity_close_won(opportunity=deal, close_date=dt.date(2026, 1, 15), actor=admin)

    page = console_as(admin).get(url).content.decode()

    assert "Lifetime value <span data-lifetime-total>130.50 USD</span>" in page
    assert page.index("Direct (no channel): 100.00") < page.index(f"{b2b.name}: 30.50")


def test_account_view_query_count_does_not_grow_with_channels_or_history(
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Account],
    django_assert_max_num_queries: Any,
) -> None:
    account = make_account("Acme")
    url = reverse("console:accounts_view", args=[account.pk])
    client = console_as(admin)

    def channel_with_history(name: str, *amounts: str) -> None:
        channel = channel_create(
            organization=admin.organization, name=name, channel_type="custom", actor=admin
        )
        for amount in amounts:
            lifetime_value_record(account=account, channel=channel, amount=Decimal(amount))

    channel_with_history("Shop 0", "5")
    client.get(url)
    with django_assert_max_num_queries(60) as small:
        assert client.get(url).status_code == 200
    for n in range(1, 8):
        channel_with_history(f"Shop {n}", "1", "2", str(10 * n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "Lifetime value <span data-lifetime-total>285.00 USD</span>" in page
    assert page.count("data-lifetime-channel") == 8
