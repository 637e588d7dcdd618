"""The account view's commerce section comes right after the page (htmx): the page only says whether
there is one; the section's own address answers with the account view's ACL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from accord.crm.models import Channel
from accord.crm.services.channels import channel_create
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION


def _urls(account_id: int) -> tuple[str, str]:
    channel = Channel.objects.get(channel_type="commerce")
    return (
        reverse("console:accounts_view", args=[account_id]),
        reverse("console:crm_commerce_account_section", kwargs={"pk": account_id, "channel_pk": channel.pk}),
    )


def test_page_holds_a_placeholder_that_the_section_address_fills(
    console_as: Callable[..., Any],
    admin: User,
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    customer, user = customer_in_use("Solo Co")
    order = place_order(user, "50.00")
    page_url, section_url = _urls(account_of(customer))
    client = console_as(admin)
    page = client.get(page_url).content.decode()
    assert f'hx-get="{section_url}"' in page
    assert order.identifier not in page
    section = client.get(section_url)
    assert section.status_code == 200
    html = section.content.decode()
    assert 'data-testid="commerce-section"' in html
    assert "Solo Co" in html
    assert order.identifier in html


def test_section_address_follows_the_acl_of_account_and_customers(
    console_as: Callable[..., Any],
    admin: User,
    make_user: Callable[..., User],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    customer, user = customer_in_use("Solo Co")
    order = place_order(user, "50.00")
    account_id = account_of(customer)
    page_url, section_url = _urls(account_id)

    no_account = make_user("no-account", grants={"commerce.customer": {"view": ORG}})
    denied = console_as(no_account).get(section_url)
    assert denied.status_code == 403
    assert "Solo Co" not in denied.content.decode()

    own_accounts = make_user(
        "own", grants={"crm.account": {"view": AccessLevel.USER}, "commerce.customer": {"view": ORG}}
    )
    hidden = console_as(own_accounts).get(section_url)
    assert hidden.status_code == 404
    assert "Solo Co" not in hidden.content.decode()

    accounts_only = make_user("accounts-only", grants={"crm.account": {"view": ORG}})
    client = console_as(accounts_only)
    assert section_url not in client.get(page_url).content.decode()  # no customer grant: no section
    empty = client.get(section_url)
    assert empty.status_code == 200
    assert "Solo Co" not in empty.content.decode()

    customers_only = make_user(
        "customers-only", grants={"crm.account": {"view": ORG}, "commerce.customer": {"view": ORG}}
    )
    html = console_as(customers_only).get(section_url).content.decode()
    assert "Solo Co" in html
    assert order.identifier not in html  # no order grant: no Orders tab


def test_section_address_refuses_a_channel_of_another_type(
    console_as: Callable[..., Any], admin: User, customer_in_use: Callable[..., Any]
) -> None:
    customer, _ = customer_in_use("Solo Co")
    account_id = account_of(customer)
    other = channel_create(organization=admin.organization, name="Shop", channel_type="custom", actor=admin)
    url = reverse("console:crm_commerce_account_section", kwargs={"pk": account_id, "channel_pk": other.pk})
    answer = console_as(admin).get(url)
    assert answer.status_code == 404
    assert "Solo Co" not in answer.content.decode()


def test_the_page_reads_the_customer_links_once_for_the_panel_and_the_placeholder(
    console_as: Callable[..., Any], admin: User, customer_in_use: Callable[..., Any]
) -> None:
    """The "Customer records" panel and the commerce section's placeholder share one read of the hub."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    customer, _ = customer_in_use("Solo Co")
    page_url, section_url = _urls(account_of(customer))
    client = console_as(admin)
    client.get(page_url)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(page_url).content.decode()
    hub_reads = [q["sql"] for q in queries.captured_queries if 'FROM "crm_customerassociation"' in q["sql"]]
    assert len(hub_reads) == 1, hub_reads
    assert f'hx-get="{section_url}"' in page
    assert "Solo Co" in page  # the panel's link to the customer record
