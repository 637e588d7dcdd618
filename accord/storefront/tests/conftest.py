"""Storefront test helpers: a customer hierarchy (parent > customer > child > grandchild, and a
sibling), customer users, documents of every type, and logged-in storefront clients."""

from __future__ import annotations

import json
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, EntryPoint, Product
from accord.commerce.services.customer_users import customer_user_create, customer_user_update
from accord.commerce.services.customers import customer_create
from accord.commerce.services.orders import order_create
from accord.commerce.services.products import product_create
from accord.commerce.services.quotes import quote_create_from_rfq, rfq_submit
from accord.commerce.services.roles import customer_user_role_create
from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
from accord.commerce.tests.support import predefined_role
from accord.platform.models import User
from accord.platform.services.settings import setting_set
from accord.storefront.auth import HASH_KEY, SESSION_KEY, _password_hash

STRONG = "violet-harbor-lantern-42"
DOCUMENTS = ("commerce.shopping_list", "commerce.rfq", "commerce.quote", "commerce.order")
PLACES = ("parent", "customer", "child", "grandchild", "sibling")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Settings are cached; a value a previous test wrote (then rolled back) must not leak."""
    cache.clear()


@pytest.fixture
def owner(admin: User) -> User:
    """The default customer owner (registration) is the admin."""
    setting_set(key="commerce.default_customer_owner", value=admin.username, actor=admin)
    return admin


@pytest.fixture
def buyer_role(db: Any) -> CustomerUserRole:
    return predefined_role("ROLE_FRONTEND_BUYER")


@pytest.fixture
def admin_role(db: Any) -> CustomerUserRole:
    return predefined_role("ROLE_FRONTEND_ADMINISTRATOR")


@pytest.fixture
def make_customer(owner: User) -> Callable[..., Customer]:
    def make(name: str, parent: Customer | None = None) -> Customer:
        return customer_create(name=name, parent=parent, entry_point=EntryPoint.CONSOLE, actor=owner)

    return make


@pytest.fixture
def make_customer_user(owner: User, buyer_role: CustomerUserRole) -> Callable[..., CustomerUser]:
    counter = {"n": 0}

    def make(customer: Customer, roles: list[CustomerUserRole] | None = None, **kwargs: Any) -> CustomerUser:
        counter["n"] += 1
        kwargs.setdefault("email", f"buyer{counter['n']}@example.com")
        kwargs.setdefault("first_name", "Bea")
        kwargs.setdefault("last_name", f"Buyer{counter['n']}")
        kwargs.setdefault("password", STRONG)
        return customer_user_create(
            customer=customer, roles=roles if roles is not None else [buyer_role], actor=owner, **kwargs
        )

    return make


@pytest.fixture
def product(owner: User) -> Product:
    return product_create(
        sku="PAPER-A4", name="Copy paper A4", unit_price="4.90", currency="USD", actor=owner
    )


@pytest.fixture
def other_product(owner: User) -> Product:
    return product_create(sku="PEN-BLUE", name="Blue pens", unit_price="3.50", currency="USD", actor=owner)


def make_documents(user: CustomerUser, product: Product, owner: User, tag: str) -> dict[str, Any]:
    """One of each document type of the user: a list, an RFQ from it, a sent quote, an order."""
    shopping_list = shopping_list_create(customer_user=user, name=f"List {tag}", actor=user)
    shopping_list_item_add(shopping_list=shopping_list, product=product, quantity=2, actor=user)
    rfq = rfq_submit(shopping_list=shopping_list, customer_user=user, po_number=f"PO-{tag}", actor=user)
    quote = quote_create_from_rfq(rfq=rfq, actor=owner)
    order = order_create(
        customer=user.customer,
        customer_user=user,
        lines=[{"product_id": product.pk, "quantity": 1}],
        currency="USD",
        entry_point="console",
        actor=owner,
    )
    return {
        "commerce.shopping_list": shopping_list,
        "commerce.rfq": rfq,
        "commerce.quote": quote,
        "commerce.order": order,
    }


@pytest.fixture
def world(make_customer, make_customer_user, product, owner) -> SimpleNamespace:
    """parent > customer > child > grandchild, parent > sibling; a user with documents at each,
    and a colleague (same customer) with documents too."""
    parent = make_customer("Parent")
    customer = make_customer("Customer", parent)
    child = make_customer("Child", customer)
    grandchild = make_customer("Grandchild", child)
    sibling = make_customer("Sibling", parent)
    customers = dict(zip(PLACES, (parent, customer, child, grandchild, sibling), strict=True))
    users = {place: make_customer_user(record) for place, record in customers.items()}
    users["colleague"] = make_customer_user(customer)
    documents = {place: make_documents(user, product, owner, place) for place, user in users.items()}
    return SimpleNamespace(customers=customers, users=users, documents=documents, me=users["customer"])


@pytest.fixture
def give_role(owner: User) -> Callable[..., CustomerUser]:
    """Give a user one customer-specific role with these grants ({entity: {action: level}})."""
    counter = {"n": 0}

    def give(user: CustomerUser, grants: dict[str, dict[str, int]]) -> CustomerUser:
        counter["n"] += 1
        role = customer_user_role_create(
            label=f"Test role {counter['n']}", customer=user.customer, grants=grants, actor=owner
        )
        customer_user_update(customer_user=user, roles=[role], actor=owner)
        return CustomerUser.objects.get(pk=user.pk)

    return give


def login_client(user: CustomerUser, **kwargs: Any) -> Client:
    """A client holding a storefront session of the user (as the log-in page leaves it)."""
    client = Client(**kwargs)
    session = client.session
    session[SESSION_KEY] = user.pk
    session[HASH_KEY] = _password_hash(user)
    session.save()
    return client


@pytest.fixture
def store_as() -> Callable[..., Client]:
    return login_client


class StoreApi:
    """JSON calls to /api/storefront/v1/ with a customer user's session."""

    def __init__(self, user: CustomerUser | None) -> None:
        self.client = login_client(user) if user is not None else Client()

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        url = f"/api/storefront/v1/{path}"
        if body is not None:
            return getattr(self.client, method)(url, data=json.dumps(body), content_type="application/json")
        return getattr(self.client, method)(url, data=params or None)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self._call("patch", path, body)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def store_api() -> Callable[[CustomerUser | None], StoreApi]:
    return StoreApi
