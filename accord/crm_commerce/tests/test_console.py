"""Console pages of the bridge: account strategy with preview and confirm, customers' accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION


def test_strategy_page_previews_then_switches(
    console_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    root = make_customer("Root")
    child = make_customer("Child", root)
    client = console_as(admin)
    page = client.get("/console/crm-commerce/account-strategy/")
    assert page.status_code == 200
    assert b"strategy-preview" not in page.content
    page = client.get("/console/crm-commerce/account-strategy/", {"strategy": "root"})
    assert b"strategy-preview" in page.content
    assert b"Confirm and switch" in page.content
    assert account_of(child) != account_of(root)  # a preview changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/console/crm-commerce/account-strategy/", {"strategy": "root"})
    assert response.status_code == 302
    assert "/jobs/" in response["Location"]
    assert account_of(child) == account_of(root)


def test_strategy_page_needs_the_grants(
    console_as: Callable[..., Any], make_user: Callable[..., User]
) -> None:
    from accord.crm_commerce.services._common import current_strategy

    assert console_as(make_user("nobody")).get("/console/crm-commerce/account-strategy/").status_code == 403
    viewer = make_user("viewer", grants={"platform.setting": {"view": ORG}})
    page = console_as(viewer).get("/console/crm-commerce/account-strategy/", {"strategy": "root"})
    assert page.status_code == 200
    assert b"Confirm and switch" not in page.content
    assert (
        console_as(viewer).post("/console/crm-commerce/account-strategy/", {"strategy": "root"}).status_code
        == 403
    )
    assert current_strategy() == "each"


def test_customers_without_account_are_shown_and_linked_in_one_click(
    console_as: Callable[..., Any], admin: User, make_customer: Callable[..., Any]
) -> None:
    """oro-spec #39: after the account is deleted the customer shows clearly without one; one click
    links it again."""
    from accord.crm.models import Account
    from accord.crm.services.accounts import account_delete

    customer = make_customer("Orphan")
    make_customer("Wellnamed Ltd")
    account_delete(account=Account.objects.get(pk=account_of(customer)), actor=admin)
    client = console_as(admin)
    grid = client.get("/console/crm-commerce/customers/", {"f_linked": "no"})
    assert grid.status_code == 200
    assert b"Orphan" in grid.content
    assert b"Wellnamed Ltd" not in grid.content
    page = client.get(f"/console/crm-commerce/customers/{customer.pk}/account/")
    assert b"No account" in page.content
    response = client.post(f"/console/crm-commerce/customers/{customer.pk}/account/", {"auto": "1"})
    assert response.status_code == 302
    assert Account.objects.get(pk=account_of(customer)).name == "Orphan"


def test_customer_account_form_moves_and_shows_field_errors(
    console_as: Callable[..., Any], admin: User, make_customer: Callable[..., Any], make_account: Any
) -> None:
    """oro-spec #22, #24: the form requires an account and moves the customer to it."""
    customer = make_customer("Acme")
    target = make_account("Target")
    client = console_as(admin)
    page = client.post(f"/console/crm-commerce/customers/{customer.pk}/account/", {"account": ""})
    assert page.status_code == 200
    assert b"is-invalid" in page.content or b"This field is required" in page.content
    client.post(f"/console/crm-commerce/customers/{customer.pk}/account/", {"account": str(target.pk)})
    assert account_of(customer) == target.pk


def test_customer_account_page_acl(
    console_as: Callable[..., Any],
    make_user: Callable[..., User],
    make_customer: Callable[..., Any],
    make_account: Any,
) -> None:
    customer = make_customer("Acme")
    before = account_of(customer)
    target = make_account("Target")
    assert (
        console_as(make_user("nobody"))
        .get(f"/console/crm-commerce/customers/{customer.pk}/account/")
        .status_code
        == 403
    )
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG}, "crm.account": {"view": ORG}})
    client = console_as(viewer)
    page = client.get(f"/console/crm-commerce/customers/{customer.pk}/account/")
    assert page.status_code == 200
    assert b"Move to this account" not in page.content
    response = client.post(
        f"/console/crm-commerce/customers/{customer.pk}/account/", {"account": str(target.pk)}
    )
    assert response.status_code == 403
    assert account_of(customer) == before


def test_combined_menu(admin: User, rf: Any, make_customer: Callable[..., Any]) -> None:
    """Issue 5 "Combined menu": Customers holds CRM's and commerce's entries, Sales the documents and
    the opportunities (once the commerce channel is active), nothing twice."""
    from accord.platform.console.menu import build_menu

    make_customer("Acme")  # creates the active commerce channel
    request = rf.get("/console/")
    request.user = admin
    sections = {section.key: [item.label for item in section.items] for section in build_menu(request)}
    for label in ("Customers", "Customer users", "Customer groups", "Customer accounts"):
        assert label.lower() in [x.lower() for x in sections["customers"]], sections["customers"]
    for label in ("Orders", "Quotes"):
        assert label.lower() in [x.lower() for x in sections["sales"]], sections["sales"]
    every = [label for labels in sections.values() for label in labels]
    assert len(every) == len(set(every))
