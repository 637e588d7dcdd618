"""Opportunities for commerce customers (oro-spec #100): the opportunity takes the customer, a sales
rep creates a quote from it (API and console), the opportunity shows "Quote created" and its quotes,
and the forecast counts it like any other."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from accord.commerce.models import Quote
from accord.crm.models import CustomerAssociation, Opportunity
from accord.crm_commerce.models import OpportunityQuote
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import AuditEntry, User

pytestmark = pytest.mark.django_db
SOURCE = "commerce.customer"


@pytest.fixture
def api(api_as: Callable[..., Any], admin: User) -> Any:
    return api_as(admin)


def _deal(client: Any, customer: Any, **extra: Any) -> dict[str, Any]:
    response = client.post(
        "opportunities",
        {"name": "Commerce deal", "customer_type": SOURCE, "customer_id": customer.pk, **extra},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_opportunity_for_a_commerce_customer_through_the_api(
    api: Any, make_customer: Callable[..., Any]
) -> None:
    customer = make_customer("Acme Co")
    deal = _deal(api, customer)
    assert (deal["account_id"], deal["customer_type"], deal["customer_id"]) == (
        account_of(customer),
        SOURCE,
        customer.pk,
    )
    listed = api.get("opportunities", customer_type=SOURCE, customer_id=customer.pk).json()
    assert [item["id"] for item in listed["items"]] == [deal["id"]]
    assert (
        api.post("opportunities", {"name": "X", "customer_type": SOURCE, "customer_id": 999999}).json()[
            "errors"
        ][0]["field"]
        == "customer_id"
    )


def test_the_console_form_offers_the_commerce_customer(
    console_as: Callable[..., Any], admin: User, make_customer: Callable[..., Any]
) -> None:
    customer = make_customer("Acme Co")
    account_id = account_of(customer)
    hub = CustomerAssociation.objects.get(source_type=SOURCE, source_id=customer.pk)
    console = console_as(admin)
    page = console.get(f"/console/opportunities/new/?account={account_id}")
    assert dict(page.context["form"].fields["customer"].choices)[str(hub.pk)] == "Commerce customer: Acme Co"
    form = {"name": "From the console", "status": "in_progress", "account": account_id, "customer": hub.pk}
    assert console.post("/console/opportunities/new/", form).status_code == 302
    deal = Opportunity.objects.get(name="From the console")
    assert deal.customer_association_id == hub.pk
    assert b"Create quote" in console.get(f"/console/opportunities/{deal.pk}/").content


def test_create_quote_through_the_api(
    api: Any,
    admin: User,
    make_customer: Callable[..., Any],
    make_product: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    customer = make_customer("Acme Co")
    deal = _deal(api, customer, budget={"amount": "500", "currency": "USD"})
    product = make_product("12.50")
    made = api.post(
        f"opportunities/{deal['id']}/quotes", {"lines": [{"product_id": product.pk, "quantity": "4"}]}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    quote = Quote.objects.get(pk=body["id"])
    assert body["identifier"] == f"Quote #{quote.pk}"
    assert (body["opportunity_id"], body["customer_id"], body["status"]) == (deal["id"], customer.pk, "draft")
    assert body["subtotal"] == {"amount": "50.00", "currency": "USD"}
    assert (quote.customer_id, quote.customer_user_id, quote.created_by_id, quote.owner_id) == (
        customer.pk,
        None,
        admin.pk,
        admin.pk,
    )
    assert [(line.sku, line.quantity) for line in quote.lines.all()] == [(product.sku, 4)]
    link = OpportunityQuote.objects.get(quote=quote)
    assert (link.opportunity_id, link.created_by_id) == (deal["id"], admin.pk)
    assert AuditEntry.objects.filter(
        entity="commerce.quote", object_id=str(quote.pk), action="create"
    ).exists()
    history = AuditEntry.objects.filter(entity="crm.opportunity", object_id=str(deal["id"]), action="update")
    assert [entry.changes["quotes"]["new"] for entry in history] == [f"Quote #{quote.pk}"]
    empty = api.post(f"opportunities/{deal['id']}/quotes")
    assert empty.status_code == 201
    assert Quote.objects.get(pk=empty.json()["id"]).lines.count() == 0
    with django_assert_max_num_queries(6):
        listed = api.get(f"opportunities/{deal['id']}/quotes")
    assert listed.status_code == 200
    assert listed.json()["count"] == 2
    assert [item["id"] for item in listed.json()["items"]] == [empty.json()["id"], quote.pk]
    assert api.get("opportunities/999999/quotes").status_code == 404


def test_bad_quote_lines_are_422_and_write_nothing(
    api: Any, make_customer: Callable[..., Any], make_product: Callable[..., Any]
) -> None:
    deal = _deal(api, make_customer("Acme Co"))
    euro = make_product("9.00", "EUR")
    response = api.post(
        f"opportunities/{deal['id']}/quotes",
        {"lines": [{"product_id": 999999, "quantity": "1"}, {"product_id": euro.pk, "quantity": "1"}]},
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"lines.0.product_id", "lines.1.unit_price"}
    assert (Quote.objects.count(), OpportunityQuote.objects.count()) == (0, 0)


def test_create_quote_in_the_console(
    console_as: Callable[..., Any],
    admin: User,
    api: Any,
    make_customer: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    deal = _deal(api, make_customer("Acme Co"))
    console = console_as(admin)
    view = f"/console/opportunities/{deal['id']}/"
    before = console.get(view)
    assert b"No quote has been made" in before.content
    assert b"Create quote" in before.content
    assert b"Quote created" not in before.content
    action = f"/console/crm-commerce/opportunities/{deal['id']}/quotes/"
    assert action.encode() in before.content
    assert console.get(action).status_code == 405
    done = console.post(action)
    assert done.status_code == 302
    assert done["Location"] == view
    quote = Quote.objects.get()
    assert OpportunityQuote.objects.get().opportunity_id == deal["id"]
    console.post(action)
    with django_assert_max_num_queries(12):
        after = console.get(view)
    assert b"Quote created" in after.content
    assert f'href="/console/quotes/{quote.pk}/"'.encode() in after.content
    assert len(re.findall(rb'href="/console/quotes/\d+/"', after.content)) == 2


def test_without_the_right_to_create_quotes(
    api_as: Callable[..., Any],
    console_as: Callable[..., Any],
    make_user: Callable[..., User],
    api: Any,
    make_customer: Callable[..., Any],
    tree: Any,
) -> None:
    """A sales manager sees the opportunity and the quotes but may not create quotes: 403, no button;
    a rep of another unit may create quotes but not see the opportunity: 404."""
    manager = make_user("manager", unit=tree.main, roles=["sales_manager"])
    stranger = make_user("stranger", unit=tree.commerce, roles=["sales_rep"])
    deal = _deal(api, make_customer("Acme Co"))
    api.post(f"opportunities/{deal['id']}/quotes")
    assert api_as(manager).get(f"opportunities/{deal['id']}").status_code == 200
    assert api_as(manager).post(f"opportunities/{deal['id']}/quotes").status_code == 403
    assert api_as(manager).get(f"opportunities/{deal['id']}/quotes").json()["count"] == 1
    page = console_as(manager).get(f"/console/opportunities/{deal['id']}/")
    assert page.status_code == 200
    assert b"Quote created" in page.content
    assert b"Create quote" not in page.content
    assert (
        console_as(manager).post(f"/console/crm-commerce/opportunities/{deal['id']}/quotes/").status_code
        == 403
    )
    assert api_as(stranger).post(f"opportunities/{deal['id']}/quotes").status_code == 404
    assert (
        console_as(stranger).post(f"/console/crm-commerce/opportunities/{deal['id']}/quotes/").status_code
        == 404
    )
    assert (Quote.objects.count(), OpportunityQuote.objects.count()) == (1, 1)


def test_only_for_open_opportunities_of_commerce_customers(
    api: Any,
    console_as: Callable[..., Any],
    admin: User,
    make_account: Callable[..., Any],
    make_customer: Any,
) -> None:
    plain = api.post("opportunities", {"name": "Plain", "account_id": make_account("Plain Co").pk}).json()
    refused = api.post(f"opportunities/{plain['id']}/quotes")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "opportunity"
    page = console_as(admin).get(f"/console/opportunities/{plain['id']}/")
    assert b"Create quote" not in page.content
    assert b"opportunity-quotes" not in page.content
    deal = _deal(api, make_customer("Acme Co"))
    api.post(
        f"opportunities/{deal['id']}/close-lost", {"close_date": "2026-01-05", "close_reason": "outsold"}
    )
    assert api.post(f"opportunities/{deal['id']}/quotes").status_code == 409
    assert b"Create quote" not in console_as(admin).get(f"/console/opportunities/{deal['id']}/").content
    assert (Quote.objects.count(), OpportunityQuote.objects.count()) == (0, 0)


def test_the_forecast_counts_opportunities_of_commerce_customers(
    api: Any, make_account: Callable[..., Any], make_customer: Callable[..., Any]
) -> None:
    params = {"from": "2026-03-01", "to": "2026-03-31"}
    plain = {"name": "Plain", "account_id": make_account("Plain Co").pk, "close_date": "2026-03-10"}
    api.post("opportunities", {**plain, "budget": {"amount": "100", "currency": "USD"}})
    assert api.get("forecast", **params).json()["total"]["amount"] == "100.00"
    deal = _deal(
        api, make_customer("Acme Co"), close_date="2026-03-20", budget={"amount": "250", "currency": "USD"}
    )
    api.post(f"opportunities/{deal['id']}/quotes")
    figures = api.get("forecast", **params).json()
    assert (figures["in_progress"], figures["total"]["amount"]) == (2, "350.00")
    assert Opportunity.objects.get(pk=deal["id"]).status == "in_progress"
