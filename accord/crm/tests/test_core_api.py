"""Back-office API of accounts, contacts, contact groups and channels: shapes, codes, ACL, queries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from accord.crm.models import Account, Channel, Contact, ContactGroup
from accord.crm.registries import ChannelType, CustomerSource, channel_types, customer_sources
from accord.crm.services.associations import customer_association_link
from accord.crm.services.channels import channel_create

SOURCE = "test.customer"


@pytest.fixture
def api(api_as: Any, admin: Any) -> Any:
    return api_as(admin)


@pytest.fixture
def source() -> Iterator[CustomerSource]:
    """Customer records backed by the contact-group table (any model with a name-like field)."""
    item = CustomerSource(SOURCE, "Test customers", "crm.ContactGroup", name_field="label")
    with customer_sources.temporarily(SOURCE, item):
        yield item


def test_account_crud_and_shape(api: Any, admin: Any, make_contact: Callable[..., Contact]) -> None:
    ann, bob = make_contact("Ann"), make_contact("Bob")
    response = api.post(
        "accounts",
        {"name": "Acme", "default_contact_id": ann.pk, "contact_ids": [bob.pk], "external_id": "A-1"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["default_contact_id"] == ann.pk
    assert body["contact_ids"] == sorted([ann.pk, bob.pk])
    assert {c["name"] for c in body["contacts"]} == {str(ann), str(bob)}
    assert body["owner_id"] == admin.pk
    assert body["customers"] == []
    assert api.get(f"accounts/{body['id']}").json() == body
    patched = api.patch(f"accounts/{body['id']}", {"name": "Acme Corp", "contact_ids": []})
    assert patched.status_code == 200
    assert patched.json()["contact_ids"] == [ann.pk]  # the default contact stays (oro-spec #2)
    assert [h["action"] for h in api.get(f"accounts/{body['id']}/history").json()][:2] == ["update", "create"]
    assert api.delete(f"accounts/{body['id']}").status_code == 204
    assert api.get(f"accounts/{body['id']}").status_code == 404
    assert Contact.objects.filter(pk=ann.pk).exists()


def test_account_errors_use_the_one_shape_with_field_paths(api: Any) -> None:
    """oro-spec #1 through the API: 422 naming the field; unknown references too."""
    response = api.post("accounts", {"name": " "})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "name"
    response = api.post("accounts", {"name": "X", "contact_ids": [999999]})
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "contact_ids")
    assert api.get("accounts", sort="owner").status_code == 422
    assert api.get("accounts/999999").status_code == 404


def test_account_list_filters_and_sort(
    api: Any, make_account: Callable[..., Account], make_contact: Any
) -> None:
    ann = make_contact("Ann")
    make_account("Zeta")
    alpha = make_account("Alpha", contacts=[ann])
    ids = lambda r: [item["id"] for item in r.json()["items"]]  # noqa: E731
    assert api.get("accounts").json()["items"][0]["name"] == "Alpha"
    assert ids(api.get("accounts", name="alp")) == [alpha.pk]
    assert ids(api.get("accounts", contact_id=ann.pk)) == [alpha.pk]
    assert api.get("accounts", sort="-name").json()["items"][0]["name"] == "Zeta"
    assert api.get("accounts", page_size=1, page=2).json()["count"] == 2


def test_account_detail_groups_hub_links_by_channel(
    api: Any, admin: Any, make_account: Callable[..., Account], source: CustomerSource
) -> None:
    """oro-spec #113: the account exposes its customer records (read-only), here grouped by channel."""
    account = make_account()
    channel = channel_create(organization=admin.organization, name="Direct", channel_type="b2b", actor=admin)
    records = [
        ContactGroup.objects.create(
            label=f"G{i}", organization=admin.organization, business_unit=admin.business_unit
        )
        for i in range(2)
    ]
    customer_association_link(source_type=SOURCE, source_id=records[0].pk, account=account, channel=channel)
    customer_association_link(source_type=SOURCE, source_id=records[1].pk, account=account)
    body = api.get(f"accounts/{account.pk}").json()
    assert [(g["channel_name"], len(g["links"])) for g in body["customers"]] == [("Direct", 1), ("", 1)]
    assert body["customers"][0]["links"][0]["name"] == records[0].label
    assert body["customers"][0]["links"][0]["source_type"] == SOURCE


def test_account_detail_runs_a_bounded_number_of_queries(
    api: Any,
    admin: Any,
    make_account: Callable[..., Account],
    make_contact: Callable[..., Contact],
    source: CustomerSource,
    django_assert_max_num_queries: Any,
) -> None:
    """Query count of GET /accounts/{id} does not grow with contacts or customer links."""
    account = make_account()
    channel = channel_create(organization=admin.organization, name="Direct", channel_type="b2b", actor=admin)

    def grow(n: int) -> None:
        for _ in range(n):
            contact = make_contact()
            account.contacts.add(contact)
            group = ContactGroup.objects.create(
                label=f"L{contact.pk}", organization=admin.organization, business_unit=admin.business_unit
            )
            customer_association_link(
                source_type=SOURCE, source_id=group.pk, account=account, channel=channel
            )

    grow(1)
    with django_assert_max_num_queries(12) as small:
        assert api.get(f"accounts/{account.pk}").status_code == 200
    grow(25)
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        body = api.get(f"accounts/{account.pk}").json()
    assert len(body["contacts"]) == 26
    assert len(body["customers"][0]["links"]) == 26
    assert len(large.captured_queries) <= len(small.captured_queries)


def test_contact_crud_and_shape(api: Any, make_account: Callable[..., Account]) -> None:
    account = make_account()
    group = ContactGroup.objects.create(
        label="VIP", organization=account.organization, business_unit_id=account.business_unit_id
    )
    response = api.post(
        "contacts",
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "gender": "female",
            "emails": [{"email": "ann@example.com", "primary": True}, {"email": "a.lee@example.com"}],
            "phones": [{"phone": "+1 555 0100", "primary": True}],
            "addresses": [
                {"street": "1 Main", "city": "Oslo", "country": "no", "types": ["billing"], "primary": True}
            ],
            "group_ids": [group.pk],
            "account_ids": [account.pk],
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["primary_email"] == "ann@example.com"
    assert body["addresses"][0]["country"] == "NO"
    assert body["addresses"][0]["types"] == ["billing"]
    assert (body["group_ids"], body["account_ids"]) == ([group.pk], [account.pk])
    assert api.get(f"contacts/{body['id']}").json() == body
    patched = api.patch(f"contacts/{body['id']}", {"job_title": "CTO", "emails": []})
    assert patched.status_code == 200
    assert (patched.json()["job_title"], patched.json()["emails"]) == ("CTO", [])
    assert api.get("contacts", email="ANN@example.com").json()["count"] == 0
    assert api.get("contacts", phone="0100").json()["count"] == 1
    assert api.get("contacts", account_id=account.pk).json()["count"] == 1
    assert api.delete(f"contacts/{body['id']}").status_code == 204


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"job_title": "CEO"}, "first_name"),
        ({"first_name": "A", "gender": "x"}, "gender"),
        ({"first_name": "A", "birthday": "2999-01-01"}, "birthday"),
        ({"first_name": "A", "emails": [{"email": "a@example.com"}]}, "emails"),
        ({"first_name": "A", "emails": [{"email": "nope", "primary": True}]}, "emails.0.email"),
        ({"first_name": "A", "group_ids": [999999]}, "group_ids"),
    ],
)
def test_contact_errors_name_the_field(api: Any, payload: dict[str, Any], field: str) -> None:
    """oro-spec #4, #5, #6 through the API."""
    response = api.post("contacts", payload)
    assert response.status_code == 422, response.json()
    assert field in [e["field"] for e in response.json()["errors"]]
    assert Contact.objects.count() == 0


def test_contact_groups_crud(api: Any) -> None:
    response = api.post("contact-groups", {"label": "Press"})
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api.post("contact-groups", {"label": "press"}).status_code == 422
    assert api.patch(f"contact-groups/{pk}", {"label": "Media"}).json()["label"] == "Media"
    assert api.get("contact-groups", label="med").json()["count"] == 1
    assert api.delete(f"contact-groups/{pk}").status_code == 204


def test_channels_crud_and_system_types_refused(api: Any) -> None:
    """oro-spec #89, #91."""
    response = api.post("channels", {"name": "Direct", "channel_type": "b2b", "status": "active"})
    assert response.status_code == 201, response.json()
    assert response.json()["customer_identity"] == "crm.business_customer"
    pk = response.json()["id"]
    assert api.patch(f"channels/{pk}", {"status": "inactive"}).json()["status"] == "inactive"
    with channel_types.temporarily("sys", ChannelType("sys", "System", "x.c", ("x.c",), system=True)):
        refused = api.post("channels", {"name": "Shop", "channel_type": "sys"})
    assert (refused.status_code, refused.json()["errors"][0]["field"]) == (422, "channel_type")
    assert api.get("channels", channel_type="b2b").json()["count"] == 1
    assert api.delete(f"channels/{pk}").status_code == 204
    assert not Channel.objects.exists()


def test_api_requires_authentication(api_as: Any) -> None:
    assert api_as(None).get("accounts").status_code == 401
