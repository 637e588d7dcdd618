"""Storefront access levels (checklist 67–73): customer, child, grandchild, parent and sibling."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accord.commerce import storefront_acl as sacl
from accord.commerce.models import (
    Customer,
    CustomerAddress,
    CustomerUser,
    CustomerUserAddress,
    CustomerUserRole,
    StorefrontLevel,
)
from accord.commerce.services.customer_users import customer_user_update
from accord.commerce.services.customers import customer_update
from accord.commerce.services.roles import customer_user_role_create

NONE, USER, DEPT, CORP = (
    StorefrontLevel.NONE,
    StorefrontLevel.USER,
    StorefrontLevel.DEPARTMENT,
    StorefrontLevel.CORPORATE,
)
ADDRESS = {"street": "1 Main St", "city": "Springfield", "country": "US", "types": ["billing"]}


@pytest.fixture
def world(make_customer, make_customer_user, admin):
    parent = make_customer("Parent")
    customer = make_customer("Customer", parent)
    child = make_customer("Child", customer)
    grandchild = make_customer("Grandchild", child)
    sibling = make_customer("Sibling", parent)
    customers = {
        "parent": parent,
        "customer": customer,
        "child": child,
        "grandchild": grandchild,
        "sibling": sibling,
    }
    users = {}
    for key, record in customers.items():
        customer_update(customer=record, addresses=[ADDRESS], actor=admin)
        users[key] = make_customer_user(record, addresses=[ADDRESS])
    users["colleague"] = make_customer_user(customer, addresses=[ADDRESS])
    return SimpleNamespace(customers=customers, users=users, me=users["customer"])


def _with_grant(world, admin, key, level):
    role = customer_user_role_create(
        label=f"Only {key} {int(level)}",
        customer=world.customers["customer"],
        grants={key: {"view": level}},
        actor=admin,
    )
    customer_user_update(customer_user=world.me, roles=[role], actor=admin)
    return CustomerUser.objects.get(pk=world.me.pk)  # fresh: no cached grants


def _owners(world, pks, attr):
    records = world.customers if attr == "Customer" else world.users
    by_pk = {record.pk: name for name, record in records.items()}
    return {by_pk[pk] for pk in pks}


EXPECTED_CUSTOMERS = {
    DEPT: {"customer"},
    CORP: {"customer", "child", "grandchild"},
    NONE: set(),
}


@pytest.mark.parametrize("level", [NONE, DEPT, CORP])
def test_customer_owned_records_by_level(world, admin, level):
    me = _with_grant(world, admin, "commerce.customer_user", level)
    visible = sacl.filter_queryset(me, "commerce.customer_user", "view", CustomerUser.objects.all())
    customers_of_visible = set(visible.values_list("customer_id", flat=True))
    assert _owners(world, customers_of_visible, "Customer") == EXPECTED_CUSTOMERS[level]
    if level == DEPT:
        assert set(visible) == {world.users["customer"], world.users["colleague"]}
    for outsider in ("parent", "sibling"):
        assert not sacl.can(me, "commerce.customer_user", "view", world.users[outsider])


@pytest.mark.parametrize("level", [NONE, DEPT, CORP])
def test_customers_and_their_addresses_by_level(world, admin, level):
    me = _with_grant(world, admin, "commerce.customer", level)
    ids = set(
        sacl.filter_queryset(me, "commerce.customer", "view", Customer.objects.all()).values_list(
            "pk", flat=True
        )
    )
    assert _owners(world, ids, "Customer") == EXPECTED_CUSTOMERS[level]
    assert set(sacl.visible_customer_ids(me, "commerce.customer", "view")) == ids
    me = _with_grant(world, admin, "commerce.customer_address", level)
    addresses = sacl.filter_queryset(me, "commerce.customer_address", "view", CustomerAddress.objects.all())
    assert (
        _owners(world, set(addresses.values_list("customer_id", flat=True)), "Customer")
        == EXPECTED_CUSTOMERS[level]
    )


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (NONE, set()),
        (USER, {"customer"}),
        (DEPT, {"customer", "colleague"}),
        (CORP, {"customer", "colleague", "child", "grandchild"}),
    ],
)
def test_user_owned_records_by_level(world, admin, level, expected):
    me = _with_grant(world, admin, "commerce.customer_user_address", level)
    qs = sacl.filter_queryset(me, "commerce.customer_user_address", "view", CustomerUserAddress.objects.all())
    assert _owners(world, set(qs.values_list("customer_user_id", flat=True)), "CustomerUser") == expected
    assert qs.count() == len(expected)  # counts agree with the list
    for outsider in ("parent", "sibling"):
        address = world.users[outsider].addresses.get()
        assert not sacl.can(me, "commerce.customer_user_address", "view", address)


def test_none_hides_the_entity_entirely(world, admin):
    me = _with_grant(world, admin, "commerce.customer", DEPT)
    assert sacl.q_for(me, "commerce.order", "view") is None
    assert not sacl.can(me, "commerce.order", "view")
    assert not sacl.filter_queryset(me, "commerce.customer_user", "view", CustomerUser.objects.all()).exists()


def test_corporate_follows_a_move_of_the_subtree(world, admin):
    me = _with_grant(world, admin, "commerce.customer", CORP)
    customer_update(customer=world.customers["sibling"], parent=world.customers["grandchild"], actor=admin)
    ids = set(sacl.visible_customer_ids(me, "commerce.customer", "view"))
    assert _owners(world, ids, "Customer") == {"customer", "child", "grandchild", "sibling"}


def test_buyer_sees_its_own_customer_only(world):
    me = CustomerUser.objects.get(pk=world.me.pk)  # the Buyer role
    users = sacl.filter_queryset(me, "commerce.customer_user", "view", CustomerUser.objects.all())
    assert set(users) == {world.users["customer"], world.users["colleague"]}
    customers = sacl.filter_queryset(me, "commerce.customer", "view", Customer.objects.all())
    assert list(customers) == [world.customers["customer"]]
    assert not sacl.can(me, "commerce.customer", "edit", world.customers["customer"])
    own_address = world.users["colleague"].addresses.get()
    assert not sacl.can(me, "commerce.customer_user_address", "view", own_address)
    assert sacl.can(me, "commerce.customer_user_address", "view", me.addresses.get())


def test_roles_visible_to_customer_users(world, admin, buyer_role, admin_role):
    customer = world.customers["customer"]
    own = customer_user_role_create(label="Own", customer=customer, actor=admin)
    customer_user_role_create(label="Hidden", customer=customer, public=False, actor=admin)
    customer_user_role_create(label="Sibling's", customer=world.customers["sibling"], actor=admin)
    customer_user_update(customer_user=world.me, roles=[admin_role], actor=admin)
    me = CustomerUser.objects.get(pk=world.me.pk)
    roles = sacl.filter_queryset(me, "commerce.customer_user_role", "view", CustomerUserRole.objects.all())
    assert set(roles) == {own, buyer_role, admin_role}


def test_disabled_users_reach_nothing(world, admin, admin_role):
    customer_user_update(customer_user=world.me, roles=[admin_role], enabled=False, actor=admin)
    me = CustomerUser.objects.get(pk=world.me.pk)
    assert sacl.level_for(me, "commerce.customer", "view") == NONE
    assert not sacl.filter_queryset(me, "commerce.customer", "view", Customer.objects.all()).exists()


def test_levels_of_several_roles_combine_to_the_highest(world, admin, buyer_role):
    corporate = customer_user_role_create(
        label="Corp",
        customer=world.customers["customer"],
        grants={"commerce.customer": {"view": CORP}},
        actor=admin,
    )
    customer_user_update(customer_user=world.me, roles=[buyer_role, corporate], actor=admin)
    me = CustomerUser.objects.get(pk=world.me.pk)
    assert sacl.level_for(me, "commerce.customer", "view") == CORP
