"""Sales API: business customers, leads (convert), opportunities (close-won/lost), forecast,
lifetime value: shapes, status codes, the one error shape, ACL."""

from __future__ import annotations

import pytest

from accord.crm.models import BusinessCustomer, Lead, Opportunity
from accord.platform.models import AccessLevel

ORG, OWN, BU = AccessLevel.ORGANIZATION, AccessLevel.USER, AccessLevel.BUSINESS_UNIT


@pytest.fixture
def api(api_as, admin):
    return api_as(admin)


def test_opportunity_crud_close_won_and_shape(api, admin, make_account):
    account = make_account("Acme")
    created = api.post(
        "opportunities",
        {
            "name": "Big deal",
            "account_id": account.pk,
            "budget": {"amount": "1200.5", "currency": "USD"},
            "close_date": "2026-05-01",
        },
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "in_progress"
    assert body["status_label"] == "Open"
    assert body["budget"] == {"amount": "1200.50", "currency": "USD"}
    assert body["probability"] == "0.00" or float(body["probability"]) == 0
    assert body["account_id"] == account.pk
    assert body["owner_id"] == admin.pk
    assert body["base_budget"] is None
    assert body["closed_at"] is None
    pk = body["id"]
    assert api.get(f"opportunities/{pk}").json() == body
    patched = api.patch(f"opportunities/{pk}", {"status": "negotiation"}).json()
    assert float(patched["probability"]) == 80
    won = api.post(f"opportunities/{pk}/close-won", {"close_date": "2026-04-01"})
    assert won.status_code == 200, won.json()
    assert won.json()["close_revenue"] == {"amount": "1200.50", "currency": "USD"}
    assert won.json()["base_close_revenue"] == {"amount": "1200.50", "currency": "USD"}
    assert won.json()["closed_at"] is not None
    history = api.get(f"opportunities/{pk}/history").json()
    assert [h["action"] for h in history] == ["update", "update", "create"]
    listed = api.get("opportunities", status="won,lost", account_id=account.pk).json()
    assert [item["id"] for item in listed["items"]] == [pk]
    assert api.delete(f"opportunities/{pk}").status_code == 204
    assert api.get(f"opportunities/{pk}").status_code == 404


def test_close_won_and_close_lost_errors_name_the_field(api, make_account):
    """oro-spec #98/#99 over the API: 422 with the field path."""
    account = make_account("Acme")
    pk = api.post("opportunities", {"name": "Deal", "account_id": account.pk}).json()["id"]
    response = api.post(f"opportunities/{pk}/close-won", {})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "close_date", "message": response.json()["errors"][0]["message"]}
    ]
    lost = api.post(f"opportunities/{pk}/close-lost", {"close_date": "2026-01-01"})
    assert lost.status_code == 422
    assert [e["field"] for e in lost.json()["errors"]] == ["close_reason"]
    lost = api.post(f"opportunities/{pk}/close-lost", {"close_date": "2026-01-01", "close_reason": "outsold"})
    assert lost.json()["close_revenue"]["amount"] == "0.00"


def test_opportunity_input_errors(api, make_account):
    account = make_account("Acme")
    assert api.post("opportunities", {"name": "No target"}).json()["errors"][0]["field"] == "account_id"
    response = api.post("opportunities", {"name": "X", "account_id": 999999})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "account_id")
    response = api.post("opportunities", {"name": "X", "account_id": account.pk, "probability": 150})
    assert response.json()["errors"][0]["field"] == "probability"
    response = api.post(
        "opportunities",
        {"name": "X", "account_id": account.pk, "budget": {"amount": "-1", "currency": "USD"}},
    )
    assert response.json()["errors"][0]["field"] == "budget.amount"
    assert api.get("opportunities", sort="nope").status_code == 422
    assert (
        api.get("opportunities", close_date_from="soon").json()["errors"][0]["field"]
        == "query.close_date_from"
    )
    assert Opportunity.objects.count() == 0


def test_opportunity_for_a_business_customer_through_the_hub(api, make_account, make_bc):
    account = make_account("Acme")
    customer = make_bc("Acme Buying", account)
    got = api.get(f"business-customers/{customer.pk}").json()
    hub = got["customer_association_id"]
    assert hub is not None
    deal = api.post("opportunities", {"name": "Via customer", "customer_association_id": hub}).json()
    assert (deal["customer_association_id"], deal["account_id"]) == (hub, account.pk)
    listed = api.get("opportunities", customer_type="crm.business_customer", customer_id=customer.pk).json()
    assert [item["id"] for item in listed["items"]] == [deal["id"]]
    assert api.get("opportunities", customer_type="crm.business_customer", customer_id=0).json()["count"] == 0
    api.post(
        f"opportunities/{deal['id']}/close-won",
        {"close_date": "2026-01-01", "close_revenue": {"amount": "70", "currency": "USD"}},
    )
    assert api.get(f"business-customers/{customer.pk}").json()["lifetime"] == {
        "amount": "70.00",
        "currency": "USD",
    }


def test_business_customer_crud(api, make_account, b2b):
    account, other = make_account("Acme"), make_account("Other")
    response = api.post(
        "business-customers",
        {
            "name": "Acme Buying",
            "account_id": account.pk,
            "channel_id": b2b.pk,
            "emails": [{"email": "buy@acme.example.com"}],
            "addresses": [{"kind": "billing", "street": "1 Main", "city": "Town", "country": "de"}],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["emails"] == [{"email": "buy@acme.example.com", "primary": True}]
    assert body["addresses"][0]["country"] == "DE"
    assert body["lifetime"] == {"amount": "0.00", "currency": "USD"}
    moved = api.patch(f"business-customers/{body['id']}", {"account_id": other.pk})
    assert moved.json()["account_id"] == other.pk
    bad = api.patch(f"business-customers/{body['id']}", {"account_id": None})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "account_id")
    two_billing = api.patch(
        f"business-customers/{body['id']}",
        {
            "addresses": [
                {"kind": "billing", "street": "1", "city": "A", "country": "DE"},
                {"kind": "billing", "street": "2", "city": "B", "country": "DE"},
            ]
        },
    )
    assert two_billing.json()["errors"][0]["field"] == "addresses"
    assert api.get("business-customers", account_id=other.pk).json()["count"] == 1
    assert api.delete(f"business-customers/{body['id']}").status_code == 204
    assert not BusinessCustomer.objects.exists()


def test_business_customer_needs_b2b_channel(api, admin, make_account):
    from accord.crm.services.channels import channel_create

    custom = channel_create(
        organization=admin.organization, name="Custom", channel_type="custom", actor=admin
    )
    response = api.post(
        "business-customers", {"name": "X", "account_id": make_account().pk, "channel_id": custom.pk}
    )
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "channel_id")


def test_lead_crud_and_convert_with_new_account_and_contact(api, admin):
    """Lead conversion creates the account, the contact and the opportunity; the lead is qualified."""
    created = api.post(
        "leads",
        {
            "name": "Office move",
            "first_name": "Olivia",
            "last_name": "Reed",
            "company_name": "Reed & Partners",
            "source": "website",
            "emails": [{"email": "olivia@reed.example.com", "primary": True}],
        },
    )
    assert created.status_code == 201, created.json()
    lead = created.json()
    assert (lead["status"], lead["emails"][0]["primary"]) == ("new", True)
    assert api.post("leads", {"name": "X", "status": "hot"}).json()["errors"][0]["field"] == "status"
    converted = api.post(f"leads/{lead['id']}/convert", {"budget": {"amount": "500", "currency": "USD"}})
    assert converted.status_code == 201, converted.json()
    result = converted.json()
    assert result["opportunity"]["lead_id"] == lead["id"]
    assert result["opportunity"]["budget"]["amount"] == "500.00"
    from accord.crm.models import Account, Contact

    account = Account.objects.get(pk=result["account_id"])
    contact = Contact.objects.get(pk=result["contact_id"])
    assert account.name == "Reed & Partners"
    assert contact.first_name == "Olivia"
    assert account in contact.accounts.all()
    assert api.get(f"leads/{lead['id']}").json()["status"] == "qualified"
    assert api.get(f"leads/{lead['id']}").json()["account_id"] == account.pk
    again = api.post(f"leads/{lead['id']}/convert", {})
    assert again.status_code == 409


def test_lead_convert_warns_about_matching_account_and_contact(api, make_account, make_contact):
    """A new account/contact matching an existing one is refused (409) unless confirmed."""
    existing = make_account("ACME corp")
    make_contact("Ann", emails=[{"email": "ann@acme.example.com", "primary": True}])
    lead = api.post(
        "leads", {"name": "Deal", "company_name": "Acme Corp", "emails": [{"email": "ANN@acme.example.com"}]}
    ).json()
    refused = api.post(f"leads/{lead['id']}/convert", {})
    assert refused.status_code == 409
    message = refused.json()["message"]
    assert "ACME corp" in message
    assert "ann@acme.example.com" in message
    assert Opportunity.objects.count() == 0
    chosen = api.post(f"leads/{lead['id']}/convert", {"account_id": existing.pk, "create_contact": False})
    assert chosen.status_code == 201, chosen.json()
    assert chosen.json()["account_id"] == existing.pk


def test_lead_convert_allow_duplicates(api, make_account):
    make_account("Acme")
    lead = api.post("leads", {"name": "Deal", "company_name": "acme"}).json()
    response = api.post(f"leads/{lead['id']}/convert", {"allow_duplicates": True, "create_contact": False})
    assert response.status_code == 201
    assert Lead.objects.get(pk=lead["id"]).status == "qualified"


def test_forecast_endpoint(api, make_account, make_opportunity):
    account = make_account("Acme")
    make_opportunity("A", account=account, budget="1000", status="negotiation", close_date="2026-03-10")
    make_opportunity("B", account=account, budget="500")
    body = api.get("forecast", **{"from": "2026-03-01", "to": "2026-03-31"}).json()
    assert body["in_progress"] == 1
    assert body["total"] == {"amount": "1000.00", "currency": "USD"}
    assert body["weighted"]["amount"] == "800.00"
    assert body["indeterminate_total"]["amount"] == "500.00"
    bad = api.get("forecast", **{"from": "2026-04-01", "to": "2026-03-01"})
    assert (bad.status_code, bad.json()["errors"][0]["field"]) == (422, "query.from")


def test_lifetime_value_endpoint_explains_each_figure(api, admin, make_account, make_bc, make_opportunity):
    from accord.crm.services.opportunities import opportunity_close_won

    account = make_account("Acme")
    customer = make_bc("Acme Buying", account)
    for target in ({"customer": customer}, {"account": account}):
        deal = make_opportunity(budget="100", **target)
        opportunity_close_won(opportunity=deal, close_date="2026-01-01", actor=admin)
    body = api.get(f"accounts/{account.pk}/lifetime-value").json()
    assert body["total"] == {"amount": "200.00", "currency": "USD"}
    by_channel = {c["channel_id"]: c for c in body["channels"]}
    assert by_channel[None]["records"][0]["entity"] == "crm.opportunity"
    records = by_channel[customer.channel_id]["records"]
    assert [r["entity"] for r in records] == ["crm.business_customer", "crm.opportunity"]
    assert records[1]["parent_id"] == customer.pk
    assert len(body["history"]) == 2
    assert api.get("accounts/999999/lifetime-value").status_code == 404


def test_sales_rep_acl_over_the_api(api_as, make_user, admin, make_account, make_opportunity, tree):
    """A rep sees its unit's opportunities, edits only its own; others are 404/403; nothing written."""
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    colleague = make_user("colleague", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    account = make_account("Acme", owner=rep)
    mine = make_opportunity("Mine", account=account, owner=rep)
    theirs = make_opportunity("Theirs", account=account, owner=colleague)
    far = make_opportunity("Far", account=account, owner=outsider)
    client = api_as(rep)
    ids = {item["id"] for item in client.get("opportunities").json()["items"]}
    assert ids == {mine.pk, theirs.pk}
    assert client.get(f"opportunities/{far.pk}").status_code == 404
    assert client.patch(f"opportunities/{theirs.pk}", {"name": "Hijack"}).status_code == 403
    assert (
        client.post(f"opportunities/{theirs.pk}/close-won", {"close_date": "2026-01-01"}).status_code == 403
    )
    assert client.delete(f"opportunities/{theirs.pk}").status_code == 403
    assert Opportunity.objects.get(pk=theirs.pk).name == "Theirs"
    assert client.patch(f"opportunities/{mine.pk}", {"name": "Renamed"}).status_code == 200
    assert api_as(None).get("opportunities").status_code == 401
    nobody = make_user("nobody")
    assert api_as(nobody).get("opportunities").json()["count"] == 0
    assert api_as(nobody).post("opportunities", {"name": "X", "account_id": account.pk}).status_code == 403
    assert api_as(nobody).get("forecast").status_code == 403


def test_forecast_respects_acl_and_owner_filter(api_as, make_user, make_account, make_opportunity, tree):
    """oro-spec #105: forecast respects the owner filter and the viewer's ACL."""
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    account = make_account("Acme")
    make_opportunity("Mine", account=account, owner=rep, budget="100", close_date="2026-03-10")
    make_opportunity("Far", account=account, owner=outsider, budget="900", close_date="2026-03-10")
    params = {"from": "2026-03-01", "to": "2026-03-31"}
    assert api_as(rep).get("forecast", **params).json()["total"]["amount"] == "100.00"
    assert api_as(outsider).get("forecast", **params).json()["total"]["amount"] == "900.00"
