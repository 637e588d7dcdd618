"""Console pages of accounts, contacts, contact groups and channels: render, forms, field errors,
delete confirmations, channel sections, menu gating, query counts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import reverse

from accord.crm.models import Account, Channel, Contact, ContactGroup
from accord.crm.registries import AccountViewSection, CustomerSource, account_view_sections, customer_sources
from accord.crm.services.associations import customer_association_link
from accord.crm.services.channels import channel_activate, channel_create
from accord.platform.models import Activity
from accord.platform.registries import MenuItem, menu_items
from accord.platform.services.activities import activity_create


@pytest.fixture
def console(console_as: Any, admin: Any) -> Any:
    return console_as(admin)


@pytest.mark.parametrize("name", ["accounts", "contacts", "contact_groups", "channels"])
def test_lists_new_forms_and_exports_render(console: Any, name: str) -> None:
    assert console.get(reverse(f"console:{name}_list")).status_code == 200
    assert console.get(reverse(f"console:{name}_create")).status_code == 200
    assert console.get(reverse(f"console:{name}_list"), {"export": "csv"}).status_code == 200


def test_menu_has_customers_section_and_channels_under_system(console: Any) -> None:
    html = console.get(reverse("console:dashboard")).content.decode()
    for name in ("accounts_list", "contacts_list", "contact_groups_list", "channels_list"):
        assert reverse(f"console:{name}") in html


def test_create_account_and_contact_link_them_in_the_console(console: Any, admin: Any) -> None:
    response = console.post(
        reverse("console:contacts_create"),
        {
            "first_name": "Ann",
            "last_name": "Lee",
            "emails": "ann@example.com\nann2@example.com",
            "phones": "555",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    ann = Contact.objects.get(first_name="Ann")
    assert ann.primary_email == "ann@example.com"
    assert ann.emails.count() == 2
    response = console.post(reverse("console:accounts_create"), {"name": "Acme", "default_contact": ann.pk})
    assert response.status_code == 302
    account = Account.objects.get(name="Acme")
    assert list(account.contacts.all()) == [ann]
    page = console.get(reverse("console:accounts_view", args=[account.pk])).content.decode()
    assert "Ann Lee" in page
    assert "Default" in page
    contact_page = console.get(reverse("console:contacts_view", args=[ann.pk])).content.decode()
    assert "Acme" in contact_page


def test_forms_show_field_errors(console: Any) -> None:
    response = console.post(reverse("console:contacts_create"), {"job_title": "CEO"})
    assert response.status_code == 400
    assert "first_name" in response.context["form"].errors
    response = console.post(reverse("console:contacts_create"), {"first_name": "A", "birthday": "2999-01-01"})
    assert "birthday" in response.context["form"].errors
    response = console.post(reverse("console:accounts_create"), {"name": "X", "contacts": "999999"})
    assert "contacts" in response.context["form"].errors
    response = console.post(reverse("console:contact_groups_create"), {"label": "ab"})
    assert "label" in response.context["form"].errors
    assert not Contact.objects.exists()


def test_contact_edit_keeps_other_addresses(console: Any, make_contact: Callable[..., Contact]) -> None:
    contact = make_contact(
        "Ann",
        addresses=[
            {"street": "1 Main", "city": "Oslo", "types": ["billing"], "primary": True},
            {"street": "2 Side", "city": "Bergen", "types": ["shipping"]},
        ],
    )
    form = console.get(reverse("console:contacts_edit", args=[contact.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, [])}
    data.update(street="9 New", groups=[], address_types=["billing"])
    data.pop("owner", None)
    response = console.post(reverse("console:contacts_edit", args=[contact.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    streets = sorted(contact.addresses.values_list("street", "primary"))
    assert streets == [("2 Side", False), ("9 New", True)]


def test_account_delete_confirmation_says_what_goes(
    console: Any, make_account: Any, make_contact: Any
) -> None:
    account = make_account(contacts=[make_contact(), make_contact()])
    page = console.get(reverse("console:accounts_delete", args=[account.pk])).content.decode()
    assert "2 contact(s) are kept" in page
    assert console.post(reverse("console:accounts_delete", args=[account.pk])).status_code == 302
    assert Contact.objects.count() == 2
    assert not Account.objects.exists()


def test_channel_create_offers_no_system_type_and_edit_keeps_type(console: Any, admin: Any) -> None:
    response = console.post(
        reverse("console:channels_create"), {"name": "Direct", "channel_type": "b2b", "status": "active"}
    )
    assert response.status_code == 302
    channel = Channel.objects.get()
    response = console.post(
        reverse("console:channels_edit", args=[channel.pk]),
        {"name": "Direct sales", "channel_type": "custom", "status": "inactive"},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.name, channel.channel_type, channel.status) == ("Direct sales", "b2b", "inactive")


@pytest.fixture
def gated_item() -> Iterator[None]:
    from accord.crm.menu import channel_gate

    item = MenuItem(
        "t_bc", "customers", "Gated BCs", "console:accounts_list", 99, permission=channel_gate("crm.lead")
    )
    with menu_items.temporarily("t_bc", item):
        yield


def test_entities_in_no_active_channel_are_hidden_from_the_menu(
    console: Any, admin: Any, gated_item: None
) -> None:
    """oro-spec #90."""
    assert "Gated BCs" not in console.get(reverse("console:dashboard")).content.decode()
    channel = channel_create(organization=admin.organization, name="Direct", channel_type="b2b", actor=admin)
    assert "Gated BCs" not in console.get(reverse("console:dashboard")).content.decode()
    channel_activate(channel=channel, active=True, actor=admin)
    assert "Gated BCs" in console.get(reverse("console:dashboard")).content.decode()


def test_account_view_renders_one_section_per_channel_ordered_by_type_then_name(
    console: Any, admin: Any, make_account: Any
) -> None:
    """oro-spec #74: sections titled with the channel name, by type then name; empty ones left out."""
    account = make_account()
    for name, kind in (("Zulu", "b2b"), ("Alpha", "b2b"), ("Custom one", "custom"), ("Empty", "custom")):
        channel_create(organization=admin.organization, name=name, channel_type=kind, actor=admin)

    def render(acc: Account, channel: Channel, request: Any) -> str:
        return "" if channel.name == "Empty" else f"<p>section-of-{channel.name}-for-{acc.name}</p>"

    with (
        account_view_sections.temporarily("t.b2b", AccountViewSection("t.b2b", "b2b", render)),
        account_view_sections.temporarily("t.custom", AccountViewSection("t.custom", "custom", render)),
    ):
        page = console.get(reverse("console:accounts_view", args=[account.pk])).content.decode()
    positions = [page.index(f"section-of-{n}-for-Acme") for n in ("Alpha", "Zulu", "Custom one")]
    assert positions == sorted(positions)
    assert "section-of-Empty" not in page


def test_account_activities_include_those_of_its_contacts(
    console: Any, admin: Any, make_account: Any, make_contact: Any
) -> None:
    """oro-spec §2.8 (#81, contacts part)."""
    ann, stranger = make_contact("Ann"), make_contact("Stranger")
    account = make_account(contacts=[ann])
    activity_create(
        actor=admin, target_entity="crm.contact", target_id=ann.pk, kind="note", subject="Called Ann"
    )
    activity_create(
        actor=admin, target_entity="crm.contact", target_id=stranger.pk, kind="note", subject="Other"
    )
    activity_create(
        actor=admin, target_entity="crm.account", target_id=account.pk, kind="note", subject="Own"
    )
    page = console.get(reverse("console:accounts_view", args=[account.pk])).content.decode()
    url = reverse("console:accounts_activities", args=[account.pk])
    assert f'hx-get="{url}"' in page  # the list loads right after the page
    listed = console.get(url).content.decode()
    assert "Called Ann" in listed
    assert "Own" in listed
    assert "Other" not in listed
    assert Activity.objects.count() == 3


def test_account_view_runs_a_bounded_number_of_queries(
    console: Any, admin: Any, make_account: Any, make_contact: Any, django_assert_max_num_queries: Any
) -> None:
    """The account view page does not run more queries with more contacts and customer links."""
    account = make_account()
    channel = channel_create(organization=admin.organization, name="Direct", channel_type="b2b", actor=admin)
    source = CustomerSource("t.c", "T", "crm.ContactGroup", name_field="label")

    def grow(n: int) -> None:
        for _ in range(n):
            contact = make_contact()
            account.contacts.add(contact)
            group = ContactGroup.objects.create(
                label=f"L{contact.pk}", organization=admin.organization, business_unit=admin.business_unit
            )
            customer_association_link(source_type="t.c", source_id=group.pk, account=account, channel=channel)

    url = reverse("console:accounts_view", args=[account.pk])
    with customer_sources.temporarily("t.c", source):
        grow(1)
        console.get(url)
        with django_assert_max_num_queries(40) as small:
            assert console.get(url).status_code == 200
        grow(30)
        with django_assert_max_num_queries(len(small.captured_queries)):
            page = console.get(url).content.decode()
    assert page.count("console/contacts/") >= 31


def test_account_delete_confirmation_counts_what_cascades(
    console: Any, make_account: Any, make_bc: Any, make_opportunity: Any
) -> None:
    """§2.1: opportunities and business customers of the account are deleted with it."""
    account = make_account()
    customer = make_bc("BC", account)
    make_opportunity("Via customer", customer=customer)
    make_opportunity("Direct", account=account)
    page = console.get(reverse("console:accounts_delete", args=[account.pk])).content.decode()
    assert "2 opportunities attached to this account are deleted with it." in page
    assert "1 business customers attached" in page
    assert "1 linked customer record(s) are kept" in page


def test_filters_through_to_many_relations_keep_one_row_and_the_whole_contact_count(
    console: Any, make_account: Callable[..., Account], make_contact: Callable[..., Contact]
) -> None:
    """A contact in two matching accounts is listed once; an account found by one of its contacts
    still counts all of them; and neither page sorts or groups the whole table to do it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ann, bob = make_contact("Ann", "Smith"), make_contact("Bob", "Jones")
    make_account("Acme North", contacts=[ann, bob])
    make_account("Acme South", contacts=[ann])
    make_account("Other")

    contacts = console.get(reverse("console:contacts_list"), {"f_account": "acme"})
    accounts = console.get(reverse("console:accounts_list"), {"f_contact": "smith", "sort": "name"})

    assert contacts.context["page"].count == 2
    assert [c.pk for c in contacts.context["page"].rows] == [bob.pk, ann.pk]  # by last name, once each
    assert [(a.name, a.contact_count) for a in accounts.context["page"].rows] == [
        ("Acme North", 2),
        ("Acme South", 1),
    ]
    by_count = console.get(reverse("console:accounts_list"), {"sort": "-contact_count"}).context["page"]
    assert [a.contact_count for a in by_count.rows] == [2, 1, 0]
    for name in ("contacts_list", "accounts_list"):
        with CaptureQueriesContext(connection) as ctx:
            console.get(reverse(f"console:{name}"))
        pages = [q["sql"] for q in ctx.captured_queries if "LIMIT 25" in q["sql"]]
        assert pages
        assert not any("DISTINCT" in sql or 'GROUP BY "crm_' in sql for sql in pages)
