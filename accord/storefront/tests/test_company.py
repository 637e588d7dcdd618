"""My company: colleagues and roles as the role allows (oro-spec #13, #72, #73), invitations,
enabling/disabling colleagues and their self-managed roles."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from accord.commerce.models import CustomerUser, CustomerUserRole, StorefrontLevel
from accord.commerce.services.roles import customer_user_role_create
from accord.platform.errors import ValidationFailed

DEPT, CORP = int(StorefrontLevel.DEPARTMENT), int(StorefrontLevel.CORPORATE)
NEW = "amber-meadow-compass-77"


def _shown(response):
    return {int(pk) for pk in re.findall(r'data-user="(\d+)"', response.content.decode())}


def _ids(world, *places):
    return {world.users[p].pk for p in places}


def test_buyer_sees_the_users_of_its_own_customer_only(world, store_as, store_api):
    """oro-spec #73: the Buyer role sees the customer users of its own customer (Department)."""
    expected = _ids(world, "customer", "colleague")
    assert _shown(store_as(world.me).get("/company/")) == expected
    body = store_api(world.me).get("customer-users").json()
    assert {u["id"] for u in body["items"]} == expected
    assert body["count"] == 2
    for place in ("child", "parent", "sibling"):
        assert store_as(world.me).get(f"/company/users/{world.users[place].pk}/").status_code == 404
        assert store_api(world.me).get(f"customer-users/{world.users[place].pk}").status_code == 404


def test_administrator_sees_the_users_of_its_customer_and_descendants(
    world, store_as, store_api, admin_role, owner
):
    """oro-spec #69, #70: Corporate reaches the child and grandchild, never the parent or sibling."""
    from accord.commerce.services.customer_users import customer_user_update

    customer_user_update(customer_user=world.me, roles=[admin_role], actor=owner)
    me = CustomerUser.objects.get(pk=world.me.pk)
    expected = _ids(world, "customer", "colleague", "child", "grandchild")
    assert _shown(store_as(me).get("/company/")) == expected
    assert {u["id"] for u in store_api(me).get("customer-users").json()["items"]} == expected


def test_customer_owned_entities_offer_department_and_corporate_only(world, owner, give_role, store_as):
    """oro-spec #72: customer users cannot be granted at User (Own) level; Department and Corporate
    reach the customer, or the customer and its descendants."""
    with pytest.raises(ValidationFailed) as refused:
        customer_user_role_create(
            label="Own users",
            customer=world.customers["customer"],
            grants={"commerce.customer_user": {"view": 1}},
            actor=owner,
        )
    assert "grants.commerce.customer_user.view" in refused.value.field_errors
    me = give_role(world.me, {"commerce.customer_user": {"view": DEPT}})
    assert _shown(store_as(me).get("/company/")) == _ids(world, "customer", "colleague")
    me = give_role(world.me, {"commerce.customer_user": {"view": CORP}})
    assert _shown(store_as(me).get("/company/")) == _ids(
        world, "customer", "colleague", "child", "grandchild"
    )


def test_a_customer_specific_role_is_visible_only_to_its_customer(world, owner, give_role, store_as):
    """oro-spec #13: customer-specific roles show only to their customer; predefined roles are shared."""
    mine = customer_user_role_create(label="Approver", customer=world.customers["customer"], actor=owner)
    theirs = customer_user_role_create(label="Approver", customer=world.customers["sibling"], actor=owner)
    hidden = customer_user_role_create(
        label="Internal", customer=world.customers["customer"], public=False, actor=owner
    )
    me = give_role(
        world.me, {"commerce.customer_user": {"view": DEPT}, "commerce.customer_user_role": {"view": DEPT}}
    )
    html = store_as(me).get("/company/").content.decode()
    roles = re.search(r'id="company-roles">(.*?)</ul>', html, re.S).group(1)
    assert "Administrator" in roles
    assert "Buyer" in roles
    assert roles.count("Approver") == 1
    assert "(Customer)" in roles
    assert "(Sibling)" not in roles
    assert "Internal" not in roles
    assert theirs.pk != mine.pk
    assert hidden.public is False


def test_a_buyer_cannot_see_roles_invite_or_change_colleagues(world, store_as, store_api):
    colleague = world.users["colleague"]
    client, api = store_as(world.me), store_api(world.me)
    assert b'id="company-roles"' not in client.get("/company/").content
    assert client.get("/company/invite/").status_code == 403
    assert (
        api.post(
            "customer-users", {"email": "x@acme.example", "first_name": "X", "last_name": "Y"}
        ).status_code
        == 403
    )
    assert client.post(f"/company/users/{colleague.pk}/enabled/", {"enabled": "0"}).status_code == 403
    assert api.patch(f"customer-users/{colleague.pk}", {"enabled": False}).status_code == 403
    colleague.refresh_from_db()
    assert colleague.enabled is True
    assert CustomerUser.objects.count() == 6


@pytest.fixture
def boss(world, admin_role, owner):
    from accord.commerce.services.customer_users import customer_user_update

    customer_user_update(customer_user=world.me, roles=[admin_role], actor=owner)
    return CustomerUser.objects.get(pk=world.me.pk)


def test_an_administrator_invites_a_colleague_who_sets_a_password(world, boss, store_as):
    client = store_as(boss)
    page = client.get("/company/invite/")
    assert page.status_code == 200
    assert b"Child" in page.content
    assert b"Sibling" not in page.content
    response = client.post(
        "/company/invite/",
        {
            "customer": world.customers["child"].pk,
            "first_name": "Ivy",
            "last_name": "Invited",
            "email": "ivy@acme.example",
        },
    )
    assert response.status_code == 302
    ivy = CustomerUser.objects.get(email_lower="ivy@acme.example")
    assert ivy.customer == world.customers["child"]
    assert (
        not ivy.has_usable_password() if hasattr(ivy, "has_usable_password") else ivy.password.startswith("!")
    )
    assert [r.role for r in ivy.roles.all()] == ["ROLE_FRONTEND_BUYER"]
    assert Client().post("/login/", {"email": "ivy@acme.example", "password": NEW}).status_code == 200
    link = re.search(r"http://testserver(/password/\S+)", mail.outbox[0].body).group(1)
    assert Client().post(link, {"password": NEW, "password_again": NEW}).status_code == 302
    assert Client().post("/login/", {"email": "ivy@acme.example", "password": NEW}).status_code == 302


def test_inviting_into_a_customer_outside_the_grant_is_refused(world, boss, store_as, store_api):
    sibling = world.customers["sibling"]
    data = {"customer": sibling.pk, "first_name": "Sly", "last_name": "Sneaky", "email": "sly@acme.example"}
    assert b'data-field-error="customer"' in store_as(boss).post("/company/invite/", data).content
    api = store_api(boss).post(
        "customer-users",
        {"customer_id": sibling.pk, "first_name": "Sly", "last_name": "S", "email": "sly@acme.example"},
    )
    assert api.status_code == 404
    assert not CustomerUser.objects.filter(email_lower="sly@acme.example").exists()


def test_an_invitation_with_a_bad_email_shows_the_field_error(world, boss, store_as, store_api):
    """oro-spec #11: a valid email is required."""
    data = {"customer": world.customers["customer"].pk, "first_name": "A", "last_name": "B", "email": "nope"}
    assert b'data-field-error="email"' in store_as(boss).post("/company/invite/", data).content
    body = (
        store_api(boss).post("customer-users", {"first_name": "A", "last_name": "B", "email": "nope"}).json()
    )
    assert body["status"] == 422
    assert body["errors"][0]["field"] == "email"


def test_an_administrator_disables_and_enables_a_colleague_but_not_itself(world, boss, store_as, store_api):
    colleague = world.users["grandchild"]
    client = store_as(boss)
    assert client.post(f"/company/users/{colleague.pk}/enabled/", {"enabled": "0"}).status_code == 302
    colleague.refresh_from_db()
    assert colleague.enabled is False
    assert (
        store_api(boss).patch(f"customer-users/{colleague.pk}", {"enabled": True}).json()["enabled"] is True
    )
    refused = store_api(boss).patch(f"customer-users/{boss.pk}", {"enabled": False})
    assert refused.status_code == 409
    assert CustomerUser.objects.get(pk=boss.pk).enabled is True
    outside = world.users["sibling"]
    assert client.post(f"/company/users/{outside.pk}/enabled/", {"enabled": "0"}).status_code == 404
    assert store_api(boss).patch(f"customer-users/{outside.pk}", {"enabled": False}).status_code == 404
    outside.refresh_from_db()
    assert outside.enabled is True


def test_an_administrator_assigns_self_managed_roles_only(
    world, boss, store_as, store_api, owner, admin_role, buyer_role
):
    colleague = world.users["colleague"]
    approver = customer_user_role_create(
        label="Approver", customer=world.customers["customer"], self_managed=True, actor=owner
    )
    fixed = customer_user_role_create(label="Fixed", customer=world.customers["customer"], actor=owner)
    page = store_as(boss).get(f"/company/users/{colleague.pk}/")
    assert b"Approver" in page.content
    assert b">Fixed<" not in page.content
    ok = store_api(boss).patch(f"customer-users/{colleague.pk}", {"role_ids": [approver.pk, admin_role.pk]})
    assert ok.status_code == 200
    assert set(ok.json()["role_ids"]) == {buyer_role.pk, approver.pk, admin_role.pk}  # Buyer kept
    refused = store_api(boss).patch(f"customer-users/{colleague.pk}", {"role_ids": [fixed.pk]})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "role_ids"
    assert (
        store_as(boss).post(f"/company/users/{colleague.pk}/roles/", {"roles": [approver.pk]}).status_code
        == 302
    )
    assert {r.pk for r in CustomerUser.objects.get(pk=colleague.pk).roles.all()} == {
        buyer_role.pk,
        approver.pk,
    }
    own = store_api(boss).patch(f"customer-users/{boss.pk}", {"role_ids": []})
    assert own.status_code == 409
    assert [r.pk for r in CustomerUser.objects.get(pk=boss.pk).roles.all()] == [admin_role.pk]


def test_a_role_of_another_customer_cannot_be_assigned(world, boss, store_api, owner):
    """oro-spec #13: a sibling's self-managed role is not offered to this customer's users."""
    theirs = customer_user_role_create(
        label="Theirs", customer=world.customers["sibling"], self_managed=True, actor=owner
    )
    refused = store_api(boss).patch(
        f"customer-users/{world.users['colleague'].pk}", {"role_ids": [theirs.pk]}
    )
    assert refused.status_code == 422
    assert not CustomerUserRole.objects.get(pk=theirs.pk).users.exists()


def test_the_company_page_query_count_does_not_grow(world, boss, store_as, make_customer_user):
    """No N+1: fifteen more colleagues (with roles) cost no extra query."""
    from accord.storefront.tests.test_documents import count_queries

    client = store_as(boss)
    few = count_queries(client, "/company/")
    for _ in range(15):
        make_customer_user(world.customers["child"])
    assert count_queries(client, "/company/") == few
