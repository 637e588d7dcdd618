"""An opportunity for a customer record of any registered source (here: business customers), given
in the API as `customer_type` + `customer_id` and chosen in the console form's "Customer" list."""

from __future__ import annotations

import pytest

from accord.crm.models import CustomerAssociation, Opportunity
from accord.crm.registries import OpportunityViewSection, opportunity_view_sections

BC = "crm.business_customer"


@pytest.fixture
def api(api_as, admin):
    return api_as(admin)


@pytest.fixture
def console(console_as, admin):
    return console_as(admin)


def _hub(customer) -> CustomerAssociation:
    return CustomerAssociation.objects.get(source_type=BC, source_id=customer.pk)


def test_api_create_and_patch_with_a_customer_of_a_source(api, make_account, make_bc):
    acme, other = make_account("Acme"), make_account("Other")
    buying = make_bc("Acme Buying", acme)
    elsewhere = make_bc("Other Buying", other)
    made = api.post("opportunities", {"name": "Deal", "customer_type": BC, "customer_id": buying.pk})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["customer_association_id"], body["account_id"]) == (_hub(buying).pk, acme.pk)
    assert (body["customer_type"], body["customer_id"]) == (BC, buying.pk)
    moved = api.patch(f"opportunities/{body['id']}", {"customer_type": BC, "customer_id": elsewhere.pk})
    assert moved.status_code == 200, moved.content
    assert (moved.json()["account_id"], moved.json()["customer_id"]) == (other.pk, elsewhere.pk)
    assert Opportunity.objects.get(pk=body["id"]).customer_association_id == _hub(elsewhere).pk
    renamed = api.patch(f"opportunities/{body['id']}", {"name": "Renamed"}).json()
    assert (renamed["name"], renamed["customer_id"]) == ("Renamed", elsewhere.pk)
    back = api.patch(f"opportunities/{body['id']}", {"account_id": acme.pk}).json()
    assert (back["account_id"], back["customer_type"], back["customer_id"]) == (acme.pk, None, None)


def _error_field(response) -> str:
    assert response.status_code == 422, response.content
    return response.json()["errors"][0]["field"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"customer_type": "nope.thing", "customer_id": 1}, "customer_type"),
        ({"customer_type": BC, "customer_id": 999999}, "customer_id"),
        ({"customer_type": BC}, "customer_id"),
        ({"customer_id": 1}, "customer_type"),
    ],
)
def test_api_unknown_customer_is_422_on_its_field(api, make_account, make_bc, payload, field):
    make_bc("Acme Buying", make_account("Acme"))
    assert _error_field(api.post("opportunities", {"name": "Deal", **payload})) == field
    assert Opportunity.objects.count() == 0


def test_api_customer_with_account_or_hub_row_is_422(api, make_account, make_bc, make_opportunity):
    acme = make_account("Acme")
    buying = make_bc("Acme Buying", acme)
    both = {"name": "Deal", "account_id": acme.pk, "customer_type": BC, "customer_id": buying.pk}
    assert _error_field(api.post("opportunities", both)) == "customer_id"
    hub_too = {"name": "Deal", "customer_association_id": _hub(buying).pk, "customer_type": BC}
    assert _error_field(api.post("opportunities", hub_too)) == "customer_type"
    assert Opportunity.objects.count() == 0
    deal = make_opportunity("Kept", account=acme)
    patch = {"account_id": acme.pk, "customer_type": BC, "customer_id": buying.pk}
    assert _error_field(api.patch(f"opportunities/{deal.pk}", patch)) == "customer_id"
    deal.refresh_from_db()
    assert deal.customer_association.source_type is None


def test_api_customer_must_be_visible_with_its_account(api_as, make_user, make_account, make_bc, tree, admin):
    """The record by its source's ACL, its account by the account ACL: else 422, nothing written."""
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    colleague = make_user("colleague", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    mine = make_account("Mine", owner=rep)
    foreign = make_account("Foreign", owner=admin)  # a rep sees its own accounts only
    hidden_record = make_bc("Far away", mine, owner=outsider)
    hidden_account = make_bc("Visible record", foreign, owner=colleague)
    fine = make_bc("Fine", mine, owner=colleague)
    client = api_as(rep)
    for customer in (hidden_record, hidden_account):
        response = client.post(
            "opportunities", {"name": "X", "customer_type": BC, "customer_id": customer.pk}
        )
        assert _error_field(response) == "customer_id"
    assert Opportunity.objects.count() == 0
    made = client.post("opportunities", {"name": "X", "customer_type": BC, "customer_id": fine.pk})
    assert made.status_code == 201, made.content
    response = client.patch(
        f"opportunities/{made.json()['id']}", {"customer_type": BC, "customer_id": hidden_record.pk}
    )
    assert _error_field(response) == "customer_id"
    assert Opportunity.objects.get(pk=made.json()["id"]).customer_association_id == _hub(fine).pk


def test_console_form_offers_the_account_and_its_visible_customers(
    console_as, make_user, make_account, make_bc, tree, django_assert_max_num_queries
):
    rep = make_user("rep", unit=tree.east, roles=["sales_rep"])
    outsider = make_user("outsider", unit=tree.commerce, roles=["sales_rep"])
    acme = make_account("Acme", owner=rep)
    for n in range(3):
        make_bc(f"Acme Buying {n}", acme, owner=rep)
    make_bc("Hidden Buying", acme, owner=outsider)
    client = console_as(rep)
    page = client.get(f"/console/opportunities/new/?account={acme.pk}")
    assert page.status_code == 200
    choices = dict(page.context["form"].fields["customer"].choices)
    assert choices[""] == "The account itself"
    assert sorted(v for k, v in choices.items() if k) == [
        f"Business customer: Acme Buying {n}" for n in range(3)
    ]
    assert b"Hidden Buying" not in page.content
    assert b'hx-get="/console/opportunities/customer-choices/"' in page.content
    with django_assert_max_num_queries(7):
        options = client.get("/console/opportunities/customer-choices/", {"account": acme.pk})
    assert options.status_code == 200
    assert options.content.count(b"<option") == 4
    assert b"Business customer: Acme Buying 2" in options.content
    assert b"Hidden Buying" not in options.content
    assert client.get("/console/opportunities/customer-choices/").content.count(b"<option") == 1


def test_console_create_and_edit_with_a_customer(console, make_account, make_bc):
    acme, other = make_account("Acme"), make_account("Other")
    buying = make_bc("Acme Buying", acme)
    elsewhere = make_bc("Other Buying", other)
    form = {"name": "Console deal", "status": "in_progress", "account": acme.pk, "customer": _hub(buying).pk}
    assert console.post("/console/opportunities/new/", form).status_code == 302
    deal = Opportunity.objects.get(name="Console deal")
    assert deal.customer_association_id == _hub(buying).pk
    edit = console.get(f"/console/opportunities/{deal.pk}/edit/")
    assert edit.context["form"].initial["customer"] == _hub(buying).pk
    assert b"Business customer: Acme Buying" in edit.content
    wrong = console.post(f"/console/opportunities/{deal.pk}/edit/", {**form, "customer": _hub(elsewhere).pk})
    assert wrong.status_code == 400
    assert "customer" in wrong.context["form"].errors
    deal.refresh_from_db()
    assert deal.customer_association_id == _hub(buying).pk
    to_account = {**form, "customer": ""}
    assert console.post(f"/console/opportunities/{deal.pk}/edit/", to_account).status_code == 302
    deal.refresh_from_db()
    assert (deal.customer_association.account_id, deal.customer_association.source_type) == (acme.pk, None)
    moved = {**form, "account": other.pk, "customer": _hub(elsewhere).pk}
    assert console.post(f"/console/opportunities/{deal.pk}/edit/", moved).status_code == 302
    deal.refresh_from_db()
    assert deal.customer_association_id == _hub(elsewhere).pk


def test_opportunity_view_renders_registered_sections(console, make_account, make_opportunity):
    deal = make_opportunity("Deal", account=make_account("Acme"))
    seen = []

    def render(opportunity, request):
        seen.append((opportunity.pk, request.user.username))
        return "<p id='extra-section'>Extra for the deal</p>" if opportunity.name == "Deal" else ""

    with opportunity_view_sections.temporarily(
        "tests.extra", OpportunityViewSection("tests.extra", "Extra", render)
    ):
        page = console.get(f"/console/opportunities/{deal.pk}/")
        other = make_opportunity("Other", account=deal.customer_association.account)
        quiet = console.get(f"/console/opportunities/{other.pk}/")
    assert b"<p id='extra-section'>Extra for the deal</p>" in page.content
    assert b"extra-section" not in quiet.content
    assert seen == [(deal.pk, "root-admin"), (other.pk, "root-admin")]
