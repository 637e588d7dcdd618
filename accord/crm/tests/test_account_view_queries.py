"""The account view stays fast: the same queries for an account with 1 or 20 contacts, business
customers and opportunities; its activity list loads right after the page, with the page's ACL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.crm.models import Account, BusinessCustomer, Channel, Contact, Opportunity
from accord.platform.models import AccessLevel, User
from accord.platform.services.activities import activity_create

pytestmark = pytest.mark.django_db


def _grow(
    account: Account,
    n: int,
    make_contact: Callable[..., Contact],
    make_bc: Callable[..., BusinessCustomer],
    make_opportunity: Callable[..., Opportunity],
    admin: User,
) -> None:
    for _ in range(n):
        contact = make_contact()
        account.contacts.add(contact)
        customer = make_bc(f"BC {contact.pk}", account)
        opportunity = make_opportunity(f"Deal {contact.pk}", customer=customer)
        for entity, pk in (("crm.contact", contact.pk), ("crm.opportunity", opportunity.pk)):
            activity_create(actor=admin, target_entity=entity, target_id=pk, kind="note", subject=f"N{pk}")


def test_page_and_activity_list_run_the_same_queries_for_1_and_20_related_records(
    console_as: Callable[..., Any],
    admin: User,
    b2b: Channel,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
    make_bc: Callable[..., BusinessCustomer],
    make_opportunity: Callable[..., Opportunity],
    django_assert_num_queries: Any,
    django_assert_max_num_queries: Any,
) -> None:
    account = make_account("Acme")
    client = console_as(admin)
    page_url = reverse("console:accounts_view", args=[account.pk])
    activities_url = reverse("console:accounts_activities", args=[account.pk])
    _grow(account, 1, make_contact, make_bc, make_opportunity, admin)
    client.get(page_url)
    counts = []
    for url in (page_url, activities_url):
        with django_assert_max_num_queries(40) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] <= 16  # the page: session, user, ACL, account, sections and panels
    _grow(account, 19, make_contact, make_bc, make_opportunity, admin)
    with django_assert_num_queries(counts[0]):
        page = client.get(page_url).content.decode()
    with django_assert_num_queries(counts[1]):
        listed = client.get(activities_url).content.decode()
    assert page.count("console/contacts/") >= 20
    assert page.count(">BC ") >= 20
    assert listed.count("<li") == 40


def test_activity_list_answers_only_who_may_view_the_account(
    console_as: Callable[..., Any],
    admin: User,
    make_user: Callable[..., User],
    make_account: Callable[..., Account],
) -> None:
    account = make_account("Acme")
    activity_create(
        actor=admin, target_entity="crm.account", target_id=account.pk, kind="task", subject="Call"
    )
    url = reverse("console:accounts_activities", args=[account.pk])

    listed = console_as(admin).get(url).content.decode()
    assert "Call" in listed
    # The task's "Done" form goes back to the account page, not to the list's own address.
    assert f'name="next" value="{reverse("console:accounts_view", args=[account.pk])}"' in listed

    no_grant = make_user("no-accounts", grants={"platform.activity": {"view": AccessLevel.ORGANIZATION}})
    denied = console_as(no_grant).get(url)
    assert denied.status_code == 403
    assert "Call" not in denied.content.decode()

    own_only = make_user(
        "own-only",
        grants={
            "crm.account": {"view": AccessLevel.USER},
            "platform.activity": {"view": AccessLevel.ORGANIZATION},
        },
    )
    hidden = console_as(own_only).get(url)
    assert hidden.status_code == 404
    assert "Call" not in hidden.content.decode()

    no_activities = make_user("no-activities", grants={"crm.account": {"view": AccessLevel.ORGANIZATION}})
    answer = console_as(no_activities).get(url)
    assert answer.status_code == 200
    assert "Call" not in answer.content.decode()


def test_the_named_related_records_cost_no_query_of_their_own(
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
    django_assert_num_queries: Any,
) -> None:
    """The page loads only the columns the default contact, referrer, owner and unit are named by:
    naming them must not load the rest one record at a time."""
    bare = make_account("Bare")
    dora = make_contact("Dora", "Default", emails=[{"email": "dora@example.com", "primary": True}])
    named = make_account("Named", default_contact=dora, referred_by=bare, contacts=[dora])
    client = console_as(admin)
    bare_url = reverse("console:accounts_view", args=[bare.pk])
    named_url = reverse("console:accounts_view", args=[named.pk])
    client.get(bare_url)
    with CaptureQueriesContext(connection) as captured:
        client.get(bare_url)
    count = len(captured.captured_queries)
    with django_assert_num_queries(count):
        page = client.get(named_url).content.decode()
    assert "Dora Default" in page
    assert "dora@example.com" in page
    assert ">Bare<" in page or "Bare</" in page
    assert str(admin) in page
