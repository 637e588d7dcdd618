"""oro-spec #108: customers are found by name, group, parent and address fields, and stay findable
by the new words when a group or parent is renamed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from accord.commerce.services.customers import customer_update
from accord.commerce.services.groups import customer_group_create, customer_group_update
from accord.platform.models import User
from accord.platform.search import search

ADDRESS = {"street": "12 Larkspur Lane", "city": "Quillby", "postal_code": "QX9 4ZZ", "country": "GB"}


def _customers(user: User, query: str) -> list[str]:
    return sorted(h.title for h in search(user, query, entity="commerce.customer"))


def test_customers_are_found_by_group_parent_and_address(
    admin: User, make_customer: Callable[..., Any]
) -> None:
    group = customer_group_create(name="Wholesalers Zeta", actor=admin)
    parent = make_customer("Holdfast Parent")
    make_customer("Branch Office", parent=parent, group=group, addresses=[ADDRESS])

    assert _customers(admin, "zeta") == ["Branch Office"]
    assert _customers(admin, "holdfast") == ["Branch Office", "Holdfast Parent"]
    assert _customers(admin, "larkspur") == ["Branch Office"]
    assert _customers(admin, "quillby qx9") == ["Branch Office"]
    assert _customers(admin, "nowhere") == []


def test_renaming_a_group_or_a_parent_reindexes_the_customers_that_carry_it(
    admin: User, make_customer: Callable[..., Any]
) -> None:
    group = customer_group_create(name="Wholesalers Zeta", actor=admin)
    parent = make_customer("Holdfast Parent")
    make_customer("Branch Office", parent=parent, group=group)

    customer_group_update(group=group, name="Retailers Omicron", actor=admin)
    customer_update(customer=parent, name="Keystone Parent", actor=admin)

    assert _customers(admin, "zeta") == []
    assert _customers(admin, "omicron") == ["Branch Office"]
    assert _customers(admin, "holdfast") == []
    assert _customers(admin, "keystone") == ["Branch Office", "Keystone Parent"]


def test_a_customer_address_change_is_searchable_at_once(
    admin: User, make_customer: Callable[..., Any]
) -> None:
    customer = make_customer("Movers Inc", addresses=[ADDRESS])
    customer_update(customer=customer, addresses=[{**ADDRESS, "city": "Thornwick"}], actor=admin)
    assert _customers(admin, "thornwick") == ["Movers Inc"]
    assert _customers(admin, "quillby") == []


def test_search_hides_customers_outside_the_grant(
    admin: User, make_customer: Callable[..., Any], make_user: Callable[..., User], tree: Any
) -> None:
    make_customer("Hidden Branch", addresses=[ADDRESS])
    outsider = make_user("outsider", unit=tree.east, grants={"commerce.customer": {"view": 1}})
    assert _customers(outsider, "larkspur") == []
