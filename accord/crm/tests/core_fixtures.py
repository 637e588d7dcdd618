"""Fixtures of the core CRM tests (accounts, contacts, groups, channels)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.crm.models import Account, Contact
from accord.crm.services.accounts import account_create
from accord.crm.services.contacts import contact_create
from accord.platform.models import User
from accord.platform.tests.fixtures import Tree


@pytest.fixture
def make_account(admin: User) -> Callable[..., Account]:
    def make(name: str = "Acme", **kwargs: Any) -> Account:
        kwargs.setdefault("actor", admin)
        return account_create(name=name, **kwargs)

    return make


@pytest.fixture
def make_contact(admin: User) -> Callable[..., Contact]:
    counter = {"n": 0}

    def make(first_name: str = "Ann", last_name: str | None = None, **kwargs: Any) -> Contact:
        counter["n"] += 1
        kwargs.setdefault("actor", admin)
        return contact_create(first_name=first_name, last_name=last_name or f"Lee{counter['n']}", **kwargs)

    return make


@pytest.fixture
def rep(make_user: Callable[..., User], tree: Tree) -> User:
    """A Sales Rep in Sales East: user-level view/create/edit on accounts and contacts."""
    return make_user("sam.rep", unit=tree.east, roles=["sales_rep"])


@pytest.fixture
def other_rep(make_user: Callable[..., User], tree: Tree) -> User:
    return make_user("rita.rep", unit=tree.east, roles=["sales_rep"])


@pytest.fixture
def manager(make_user: Callable[..., User], tree: Tree) -> User:
    return make_user("maria.manager", unit=tree.sales, roles=["sales_manager"])
