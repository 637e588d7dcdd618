"""The bridge's API: account strategy with preview, a customer's account, an account's customers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.crm.models import CustomerAssociation
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db
ORG = AccessLevel.ORGANIZATION


def test_strategy_get_preview_and_put(
    api_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    root = make_customer("Root")
    child = make_customer("Child", root)
    api = api_as(admin)
    response = api.get("/api/v1/settings/account-strategy")
    assert response.status_code == 200, response.content
    assert response.json() == {"strategy": "each", "choices": ["each", "root"]}
    preview = api.get("/api/v1/settings/account-strategy/preview", strategy="root").json()
    assert preview["customers_to_move"] == 1
    assert preview["moves"][0]["customer_id"] == child.pk
    assert preview["moves"][0]["to_account_id"] == account_of(root)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.put("/api/v1/settings/account-strategy", {"strategy": "root"})
    assert response.status_code == 202, response.content
    job = response.json()["job"]
    assert job["type"] == "crm_commerce.account_strategy_switch"
    assert api.get(f"/api/v1/jobs/{job['id']}").json()["status"] == "succeeded"
    assert account_of(child) == account_of(root)
    again = api.put("/api/v1/settings/account-strategy", {"strategy": "root"})
    assert again.status_code == 200
    assert again.json()["job"] is None


def test_strategy_bad_input_is_422_with_the_field(api_as: Callable[..., Any], admin: User) -> None:
    api = api_as(admin)
    response = api.put("/api/v1/settings/account-strategy", {"strategy": "tree"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "strategy"
    response = api.get("/api/v1/settings/account-strategy/preview", strategy="tree")
    assert response.status_code == 422


def test_strategy_needs_the_setting_grants(
    api_as: Callable[..., Any], make_user: Callable[..., User], django_capture_on_commit_callbacks: Any
) -> None:
    from accord.platform.models import Job

    nobody = make_user("nobody")
    assert api_as(None).get("/api/v1/settings/account-strategy").status_code == 401
    assert api_as(nobody).get("/api/v1/settings/account-strategy").status_code == 403
    viewer = make_user("viewer", grants={"platform.setting": {"view": ORG}})
    assert api_as(viewer).get("/api/v1/settings/account-strategy").status_code == 200
    with django_capture_on_commit_callbacks(execute=False):
        assert (
            api_as(viewer).put("/api/v1/settings/account-strategy", {"strategy": "root"}).status_code == 403
        )
    assert not Job.objects.exists()


def test_customer_account_get_and_put(
    api_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    make_account: Callable[..., Any],
) -> None:
    """oro-spec #24, #80: read and move a customer's account."""
    customer = make_customer("Acme")
    api = api_as(admin)
    body = api.get(f"/api/v1/customers/{customer.pk}/account").json()
    hub = CustomerAssociation.objects.get(source_type="commerce.customer", source_id=customer.pk)
    assert body == {
        "customer_id": customer.pk,
        "account_id": account_of(customer),
        "account_name": "Acme",
        "customer_association_id": hub.pk,  # what opportunities of this customer point at
    }
    target = make_account("Target")
    response = api.put(f"/api/v1/customers/{customer.pk}/account", {"account_id": target.pk})
    assert response.status_code == 200, response.content
    assert response.json()["account_id"] == target.pk == account_of(customer)
    missing = api.put(f"/api/v1/customers/{customer.pk}/account", {"account_id": 999999})
    assert missing.status_code == 422  # oro-spec #23: an update needs an account
    assert missing.json()["errors"][0]["field"] == "account_id"


def test_customer_account_acl(
    api_as: Callable[..., Any],
    make_user: Callable[..., User],
    make_customer: Callable[..., Any],
    make_account: Callable[..., Any],
) -> None:
    customer = make_customer("Acme")
    before = account_of(customer)
    target = make_account("Target")
    stranger = make_user("stranger")
    assert api_as(stranger).get(f"/api/v1/customers/{customer.pk}/account").status_code == 404
    viewer = make_user("viewer", grants={"commerce.customer": {"view": ORG}, "crm.account": {"view": ORG}})
    assert api_as(viewer).get(f"/api/v1/customers/{customer.pk}/account").status_code == 200
    response = api_as(viewer).put(f"/api/v1/customers/{customer.pk}/account", {"account_id": target.pk})
    assert response.status_code == 403
    assert account_of(customer) == before


def test_account_customers_list(
    api_as: Callable[..., Any],
    admin: User,
    make_user: Callable[..., User],
    make_customer: Callable[..., Any],
    set_strategy: Callable[[str], None],
) -> None:
    set_strategy("root")
    root = make_customer("Root")
    make_customer("Child", root)
    response = api_as(admin).get(f"/api/v1/accounts/{account_of(root)}/customers")
    assert response.status_code == 200, response.content
    assert [c["name"] for c in response.json()["items"]] == ["Child", "Root"]
    no_customers = make_user("accounts-only", grants={"crm.account": {"view": ORG}})
    assert api_as(no_customers).get(f"/api/v1/accounts/{account_of(root)}/customers").json()["count"] == 0
    assert api_as(make_user("none")).get(f"/api/v1/accounts/{account_of(root)}/customers").status_code == 404


def test_changing_the_setting_through_the_settings_api_also_queues_the_job(
    api_as: Callable[..., Any], admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    """oro-spec #28 from any face: the generic settings endpoint triggers the same single job."""
    from accord.platform.models import Job

    with django_capture_on_commit_callbacks(execute=False):
        response = api_as(admin).patch(
            "/api/v1/settings", {"values": {"crm_commerce.account_strategy": "root"}}
        )
    assert response.status_code == 200, response.content
    assert list(Job.objects.values_list("type", "params")) == [
        ("crm_commerce.account_strategy_switch", {"strategy": "root"})
    ]
    assert api_as(admin).get("/api/v1/settings/crm_commerce.account_strategy").json()["value"] == "root"


def test_the_customer_api_never_exposes_lifetime_value_or_data_channel(
    api_as: Callable[..., Any],
    admin: User,
    make_customer: Callable[..., Any],
    place_order: Callable[..., Any],
    customer_in_use: Callable[..., Any],
) -> None:
    """oro-spec #112: the lifetime value is the account's (its own endpoint); the channel is CRM's."""
    from accord.commerce.services.payments import order_payment_record

    customer, user = customer_in_use("Paying")
    order_payment_record(order=place_order(user, "40.00"), amount="40.00", actor=admin)
    api = api_as(admin)
    bodies = [
        api.get(f"/api/v1/customers/{customer.pk}").json(),
        *api.get("/api/v1/customers", page_size=100).json()["items"],
    ]
    for body in bodies:
        keys = {key.lower() for key in body}
        assert not keys & {
            "lifetime",
            "lifetime_value",
            "datachannel",
            "data_channel",
            "channel",
            "channel_id",
        }
        assert "account_id" in keys  # what the bridge adds instead
    lifetime = api.get(f"/api/v1/accounts/{account_of(customer)}/lifetime-value").json()
    assert "40.00" in str(lifetime)
