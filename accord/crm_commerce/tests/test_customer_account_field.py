"""The account on commerce's own customer faces through the customer extension point (decision 0058):
form field (oro-spec #21-#24), view panel (#80, #39), API `account_id` in and out."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accord.commerce.models import Customer
from accord.crm.models import Account
from accord.crm_commerce.tests.conftest import account_of, account_value
from accord.platform.errors import ValidationFailed
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION
ALL = {"view": ORG, "create": ORG, "edit": ORG, "delete": ORG}


@pytest.fixture
def own_accounts_user(make_user: Callable[..., User]) -> User:
    """Full rights on customers; sees only the accounts it owns."""
    return make_user(
        "own-accounts", grants={"commerce.customer": ALL, "crm.account": {"view": AccessLevel.USER}}
    )


def _form_url(customer: Any = None) -> str:
    if customer is None:
        return reverse("console:customers_create")
    return reverse("console:customers_edit", args=[customer.pk])


# --- console form -----------------------------------------------------------------------------------


def test_create_with_a_chosen_account_uses_it_whatever_the_strategy(
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Any],
    make_customer: Callable[..., Any],
    set_strategy: Callable[[str], None],
) -> None:
    """oro-spec #21, #22: optional on create; a chosen account wins over the strategy."""
    set_strategy("root")
    root = make_customer("Root")
    chosen = make_account("Chosen")
    accounts_before = Account.objects.count()
    response = console_as(admin).post(
        _form_url(), {"name": "Child", "parent": root.pk, "account": str(chosen.pk)}
    )
    assert response.status_code == 302
    child = Customer.objects.get(name="Child")
    assert account_of(child) == chosen.pk != account_of(root)
    assert Account.objects.count() == accounts_before  # the strategy created nothing


def test_create_without_an_account_lets_the_strategy_decide(
    console_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    set_strategy: Callable[[str], None],
) -> None:
    client = console_as(admin)
    page = client.get(_form_url())
    assert page.context["form"].fields["account"].required is False
    assert client.post(_form_url(), {"name": "Solo", "account": ""}).status_code == 302
    assert Account.objects.get(pk=account_of(Customer.objects.get(name="Solo"))).name == "Solo"
    set_strategy("root")
    root = make_customer("Root")
    assert client.post(_form_url(), {"name": "Kid", "parent": root.pk, "account": ""}).status_code == 302
    assert account_of(Customer.objects.get(name="Kid")) == account_of(root)


def test_edit_moves_the_customer_and_both_lifetime_values_follow(
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Any],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    """oro-spec #24 from the form; the old account loses the customer's value, the new one gains it."""
    from accord.commerce.services.payments import order_payment_record

    customer, buyer = customer_in_use("Acme")
    order_payment_record(order=place_order(buyer, "100.00"), amount="100.00", actor=admin)
    old = account_of(customer)
    target = make_account("Target")
    client = console_as(admin)
    edit = client.get(_form_url(customer))
    assert edit.context["form"].fields["account"].required is True
    assert edit.context["form"]["account"].value() == old  # initial: the current account
    assert f'<option value="{old}" selected>Acme</option>' in edit.content.decode()
    response = client.post(_form_url(customer), {"name": "Acme", "account": str(target.pk)})
    assert response.status_code == 302
    assert account_of(customer) == target.pk
    assert account_value(old) == Decimal("0.00")
    assert account_value(target.pk) == Decimal("100.00")


def test_edit_requires_an_account_and_shows_the_error_on_the_field(
    console_as: Callable[..., Any], admin: User, make_customer: Callable[..., Any]
) -> None:
    """oro-spec #22, #39: a customer whose account was deleted cannot be saved without one."""
    from accord.crm.services.accounts import account_delete

    linked = make_customer("Linked")
    orphan = make_customer("Orphan")
    account_delete(account=Account.objects.get(pk=account_of(orphan)), actor=admin)
    client = console_as(admin)
    for customer in (linked, orphan):
        response = client.post(_form_url(customer), {"name": "Renamed", "account": ""})
        assert response.status_code == 400
        assert response.context["form"].errors["account"] == ["An account is required."]
    # A post that does not send the field keeps the account, so an orphan still needs one.
    response = client.post(_form_url(orphan), {"name": "Renamed"})
    assert response.context["form"].errors["account"] == ["An account is required."]
    assert client.post(_form_url(linked), {"name": "Renamed"}).status_code == 302
    assert set(Customer.objects.values_list("name", flat=True)) == {"Renamed", "Orphan"}
    assert account_of(orphan) is None


def test_form_offers_visible_accounts_only(
    console_as: Callable[..., Any],
    own_accounts_user: User,
    make_account: Callable[..., Any],
    make_customer: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    mine = make_account("Mine", owner=own_accounts_user)
    hidden = make_account("Hidden")
    customer = make_customer("Acme")  # its account is the admin's: not visible to the user
    client = console_as(own_accounts_user)
    html = client.get(_form_url()).content.decode()
    assert "Mine" in html
    assert "Hidden" not in html
    refused = client.post(_form_url(), {"name": "New", "account": str(hidden.pk)})
    assert refused.status_code == 400
    assert "account" in refused.context["form"].errors
    assert not Customer.objects.filter(name="New").exists()
    # Its current, invisible account is kept when other fields change; the name is not shown.
    edit = client.get(_form_url(customer)).content.decode()
    assert "you may not view" in edit
    before = account_of(customer)
    assert client.post(_form_url(customer), {"name": "Acme 2", "account": str(before)}).status_code == 302
    assert account_of(customer) == before
    assert client.post(_form_url(customer), {"name": "Acme 3", "account": str(mine.pk)}).status_code == 302
    assert account_of(customer) == mine.pk
    # Without any account grant there is no field, and customers can still be edited.
    commerce_only = make_user("commerce-only", grants={"commerce.customer": ALL})
    form = console_as(commerce_only).get(_form_url(customer)).context["form"]
    assert "account" not in form.fields
    assert console_as(commerce_only).post(_form_url(customer), {"name": "Acme 4"}).status_code == 302
    assert account_of(customer) == mine.pk


# --- view panel -------------------------------------------------------------------------------------


def test_view_shows_the_account_or_no_account_with_the_link_action(
    console_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    """oro-spec #80 and #39 on the customer's own view page."""
    from accord.crm.services.accounts import account_delete

    customer = make_customer("Acme")
    account_id = account_of(customer)
    view = reverse("console:customers_view", args=[customer.pk])
    page = console_as(admin).get(view).content.decode()
    assert 'data-testid="customer-account-panel"' in page
    assert reverse("console:accounts_view", args=[account_id]) in page
    assert "Link to an account" not in page
    account_delete(account=Account.objects.get(pk=account_id), actor=admin)
    page = console_as(admin).get(view).content.decode()
    assert "No account" in page
    link = reverse("console:crm_commerce_customer_account", args=[customer.pk])
    assert f'action="{link}"' in page
    assert "Link to an account" in page
    assert console_as(admin).post(link, {"auto": "1"}).status_code == 302
    assert Account.objects.get(pk=account_of(customer)).name == "Acme"
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG}, "crm.account": {"view": ORG}})
    account_delete(account=Account.objects.get(pk=account_of(customer)), actor=admin)
    page = console_as(viewer).get(view).content.decode()
    assert "No account" in page
    assert "Link to an account" not in page  # may not edit the customer
    no_accounts = make_user("no-accounts", grants={"commerce.customer": {"view": ORG}})
    page = console_as(no_accounts).get(view).content.decode()
    assert 'data-testid="customer-account-panel"' not in page


# --- API --------------------------------------------------------------------------------------------


def test_api_create_with_and_without_account_id(
    api_as: Callable[..., Any], admin: User, make_account: Callable[..., Any]
) -> None:
    """oro-spec #21, #23: a given account is used; none (or null) lets the strategy create one."""
    chosen = make_account("Chosen")
    api = api_as(admin)
    with_account = api.post("customers", {"name": "Acme", "account_id": chosen.pk})
    assert with_account.status_code == 201, with_account.json()
    assert (with_account.json()["account_id"], with_account.json()["account_name"]) == (chosen.pk, "Chosen")
    assert account_of(Customer.objects.get(name="Acme")) == chosen.pk
    for body in ({"name": "Solo"}, {"name": "Nulled", "account_id": None}):
        created = api.post("customers", body)
        assert created.status_code == 201
        assert created.json()["account_name"] == body["name"]
        assert created.json()["account_id"] == account_of(Customer.objects.get(name=body["name"]))


def test_api_patch_moves_the_customer_and_refuses_empty_or_unknown(
    api_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Any],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    """oro-spec #23, #24 on PATCH /api/v1/customers/{id}; lifetime values follow the move."""
    from accord.commerce.services.payments import order_payment_record

    customer, buyer = customer_in_use("Acme")
    order_payment_record(order=place_order(buyer, "80.00"), amount="80.00", actor=admin)
    old = account_of(customer)
    target = make_account("Target")
    api = api_as(admin)
    for body, message in (
        ({"account_id": None}, "An account is required."),
        ({"account_id": 999999}, "does not exist"),
        ({"account_id": "x"}, ""),
    ):
        refused = api.patch(f"customers/{customer.pk}", {"name": "Renamed", **body})
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "account_id"
        assert message in refused.json()["errors"][0]["message"]
    moved = api.patch(f"customers/{customer.pk}", {"account_id": target.pk})
    assert moved.status_code == 200
    assert (moved.json()["account_id"], moved.json()["account_name"]) == (target.pk, "Target")
    assert api.get(f"customers/{customer.pk}").json()["account_id"] == target.pk
    assert account_value(old) == Decimal("0.00")
    assert account_value(target.pk) == Decimal("80.00")
    Customer.objects.get(pk=customer.pk, name="Acme")  # the refused patches changed nothing


def test_api_denied_and_invisible_accounts(
    api_as: Callable[..., Any],
    own_accounts_user: User,
    make_account: Callable[..., Any],
    make_customer: Callable[..., Any],
    make_user: Callable[..., User],
) -> None:
    from accord.crm_commerce.customer_extension import api_parse

    hidden = make_account("Hidden")
    mine = make_account("Mine", owner=own_accounts_user)
    customer = make_customer("Acme")
    before = account_of(customer)
    api = api_as(own_accounts_user)
    created = api.post("customers", {"name": "New", "account_id": hidden.pk})
    assert created.status_code == 422
    assert created.json()["errors"][0]["field"] == "account_id"
    assert not Customer.objects.filter(name="New").exists()
    patched = api.patch(f"customers/{customer.pk}", {"account_id": hidden.pk})
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["field"] == "account_id"
    assert account_of(customer) == before
    body = api.get(f"customers/{customer.pk}").json()
    assert (body["account_id"], body["account_name"]) == (before, None)  # the name is not for it to see
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG}, "crm.account": {"view": ORG}})
    assert api_as(viewer).patch(f"customers/{customer.pk}", {"account_id": mine.pk}).status_code == 403
    with pytest.raises(ValidationFailed) as refused:
        api_parse(values={"account_id": mine.pk}, user=viewer, customer=customer)
    assert list(refused.value.field_errors) == ["account_id"]
    assert account_of(customer) == before
    assert api.patch(f"customers/{customer.pk}", {"account_id": mine.pk}).json()["account_name"] == "Mine"


def test_api_list_carries_the_account_with_a_flat_query_count(
    api_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    api = api_as(admin)
    make_customer("C0")
    api.get("customers")  # warm the token and permission paths
    counts = []
    for size in (2, 15):
        while Customer.objects.count() < size:
            make_customer(f"C{Customer.objects.count()}")
        with CaptureQueriesContext(connection) as ctx:
            items = api.get("customers", sort="id").json()["items"]
        counts.append(len(ctx.captured_queries))
        assert len(items) == size
        for item in items:
            assert item["account_id"] == account_of(Customer(pk=item["id"]))
            assert item["account_name"] == item["name"]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(10):
        api.get("customers")
