"""Commerce test helpers on top of the platform fixtures (`tree`, `make_user`, `admin`, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, EntryPoint
from accord.commerce.services.customer_users import customer_user_create
from accord.commerce.services.customers import customer_create
from accord.commerce.tests.support import predefined_role
from accord.platform.models import User

STRONG = "violet-harbor-lantern-42"


@pytest.fixture
def make_customer(admin: User) -> Callable[..., Customer]:
    def make(name: str, parent: Customer | None = None, **kwargs: Any) -> Customer:
        kwargs.setdefault("actor", admin)
        kwargs.setdefault("entry_point", EntryPoint.CONSOLE)
        return customer_create(name=name, parent=parent, **kwargs)

    return make


@pytest.fixture
def buyer_role(db: Any) -> CustomerUserRole:
    return predefined_role("ROLE_FRONTEND_BUYER")


@pytest.fixture
def admin_role(db: Any) -> CustomerUserRole:
    return predefined_role("ROLE_FRONTEND_ADMINISTRATOR")


@pytest.fixture
def make_customer_user(admin: User, buyer_role: CustomerUserRole) -> Callable[..., CustomerUser]:
    counter = {"n": 0}

    def make(customer: Customer, roles: list[CustomerUserRole] | None = None, **kwargs: Any) -> CustomerUser:
        counter["n"] += 1
        kwargs.setdefault("email", f"buyer{counter['n']}@example.com")
        kwargs.setdefault("first_name", "Bea")
        kwargs.setdefault("last_name", f"Buyer{counter['n']}")
        return customer_user_create(
            customer=customer, roles=roles if roles is not None else [buyer_role], actor=admin, **kwargs
        )

    return make


def walk(customer_id: int) -> tuple[str, int, int]:
    """(path, root id, depth) recomputed by following parent links, one query per level."""
    ids = []
    current: int | None = customer_id
    seen = set()
    while current is not None:
        assert current not in seen, f"cycle through {current}"
        seen.add(current)
        ids.append(current)
        current = Customer.objects.values_list("parent_id", flat=True).get(pk=current)
    ids.reverse()
    return "/" + "".join(f"{i}/" for i in ids), ids[0], len(ids) - 1


def assert_tree_consistent() -> None:
    for pk, path, root_id, depth in Customer.objects.values_list("pk", "path", "root_id", "depth"):
        assert (path, root_id, depth) == walk(pk), f"customer {pk}"


# --- commerce documents (shopping lists, RFQs, quotes, orders) ----------------------------------


@pytest.fixture
def make_product(admin: User) -> Callable[..., Any]:
    from accord.commerce.services.products import product_create

    counter = {"n": 0}

    def make(price: str = "10.00", currency: str = "USD", **kwargs: Any) -> Any:
        counter["n"] += 1
        kwargs.setdefault("sku", f"SKU-{counter['n']}")
        kwargs.setdefault("name", f"Product {counter['n']}")
        return product_create(unit_price=price, currency=currency, actor=admin, **kwargs)

    return make


@pytest.fixture
def buyer(
    make_customer: Callable[..., Customer], make_customer_user: Callable[..., CustomerUser]
) -> CustomerUser:
    """A customer user of the customer "Acme"."""
    return make_customer_user(make_customer("Acme"))


@pytest.fixture
def place_order(admin: User, make_product: Callable[..., Any]) -> Callable[..., Any]:
    """Place an order of one line (quantity × price) for a customer user's customer."""
    from accord.commerce.services.orders import order_create

    def place(
        customer_user: CustomerUser, total: str = "100.00", currency: str = "USD", **kwargs: Any
    ) -> Any:
        kwargs.setdefault("actor", admin)
        kwargs.setdefault("entry_point", "console")
        line = {"product": make_product(total, currency), "quantity": 1}
        return order_create(
            customer=customer_user.customer,
            customer_user=customer_user,
            lines=[line],
            currency=currency,
            **kwargs,
        )

    return place
