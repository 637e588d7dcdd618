"""Fixtures shared by every app's tests: an organization with a business-unit tree, users with
roles, and clients for the console (session) and the API (Bearer token)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accord.platform.models import BusinessUnit, Organization, Role, RolePermission, User
from accord.platform.services.organization import business_unit_create
from accord.platform.services.roles import roles_sync_predefined
from accord.platform.services.tokens import token_create

PASSWORD = "correct-horse-battery-staple"


@dataclass
class Tree:
    """Main > Sales > Sales East, Main > Commerce, and another organization with its own unit."""

    org: Organization
    main: BusinessUnit
    sales: BusinessUnit
    east: BusinessUnit
    commerce: BusinessUnit
    other_org: Organization
    other_main: BusinessUnit


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Each test starts with an empty cache: a flushed database must not meet cached settings."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tree(db: Any) -> Tree:
    roles_sync_predefined()
    org = Organization.objects.create(name="Acme Sales Org")
    main = business_unit_create(organization=org, name="Main")
    sales = business_unit_create(organization=org, name="Sales", parent=main)
    east = business_unit_create(organization=org, name="Sales East", parent=sales)
    commerce = business_unit_create(organization=org, name="Commerce", parent=main)
    other = Organization.objects.create(name="Other Org")
    other_main = business_unit_create(organization=other, name="Other Main")
    return Tree(org, main, sales, east, commerce, other, other_main)


@pytest.fixture
def make_user(tree: Tree) -> Callable[..., User]:
    counter = {"n": 0}

    def make(
        username: str | None = None,
        *,
        unit: BusinessUnit | None = None,
        roles: list[str] | None = None,
        grants: dict[str, dict[str, int]] | None = None,
    ) -> User:
        counter["n"] += 1
        unit = unit or tree.main
        user = User.objects.create(
            username=username or f"user{counter['n']}",
            email=f"{username or 'user' + str(counter['n'])}@example.com",
            organization_id=unit.organization_id,
            business_unit=unit,
        )
        user.set_password(PASSWORD)
        user.save()
        if roles:
            user.roles.add(*Role.objects.filter(name__in=roles))
        if grants:
            role = Role.objects.create(name=f"custom-{user.username}", label=f"Custom {user.username}")
            RolePermission.objects.bulk_create(
                RolePermission(role=role, entity=entity, action=action, level=level)
                for entity, actions in grants.items()
                for action, level in actions.items()
            )
            user.roles.add(role)
        return user

    return make


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user("root-admin", roles=["administrator"])


class ApiClient:
    """A Django test client that sends a Bearer token and JSON bodies."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, raw = token_create(user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {"headers": self.headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self._call("patch", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._call("put", path, body)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def api_as() -> Callable[[User | None], ApiClient]:
    return ApiClient


@pytest.fixture
def console_as() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def assert_search_trigrams(table: str, columns: tuple[str, ...]) -> None:
    """Each column has its quick-search trigram index on PostgreSQL, none on SQLite (decision 0088)."""
    from django.db import connection

    from accord.platform.trigram import index_name

    wanted = {index_name(table, column) for column in columns}
    with connection.cursor() as cursor:
        found = wanted & set(connection.introspection.get_constraints(cursor, table))
    assert found == (wanted if connection.vendor == "postgresql" else set())
