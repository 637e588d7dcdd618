"""The storefront's benchmark suite: "my orders" (page and API list) of a buyer who sees a whole hierarchy.

The buyer is a Corporate-level customer user at the top of the deepest customer hierarchy: its orders
are those of every customer below (one `path` prefix query). The floor is the bare SELECT of the same
page of orders by path prefix. Everything runs in-process in a transaction that is rolled back: the
buyer's session, and its role when the generated data has no such buyer.
"""

from __future__ import annotations

import math
import time
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, Order, StorefrontLevel
from accord.commerce.models.customers import subtree_q
from accord.commerce.services.customer_users import customer_user_create, customer_user_update
from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites, percentile
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME
from accord.storefront import access
from accord.storefront.auth import HASH_KEY, SESSION_KEY, _password_hash
from accord.storefront.selectors import ORDER

PAGE_SIZE = 25  # the "my orders" page's
PAGES = 5  # the first pages, in turn
REQUESTS = 100  # per face and run
ADMINISTRATOR = "ROLE_FRONTEND_ADMINISTRATOR"  # Corporate on every storefront entity


class _Rollback(Exception):
    pass


def top_of_deepest() -> Customer | None:
    """The root customer of the deepest hierarchy."""
    deepest = Customer.objects.order_by("-depth", "pk").first()
    if deepest is None:
        return None
    return Customer.objects.get(pk=deepest.root_id or deepest.pk)


def corporate_buyer(root: Customer, admin: User) -> CustomerUser:
    """An enabled user of the customer who sees its subtree's orders; given the role when none does."""
    users = list(CustomerUser.objects.filter(customer=root, enabled=True).order_by("pk"))
    for user in users:
        if access.level_for(user, ORDER, "view") == StorefrontLevel.CORPORATE:
            return user
    role = CustomerUserRole.objects.get(role=ADMINISTRATOR)
    if users:
        return customer_user_update(customer_user=users[0], roles=[role], actor=admin)
    return customer_user_create(
        email=f"bench.buyer.{root.pk}@example.com",
        first_name="Bench",
        last_name="Buyer",
        customer=root,
        roles=[role],
        actor=admin,
    )


def bench_client(user: CustomerUser) -> Any:
    """Django's test client (imported here: not at start-up) holding the buyer's storefront session."""
    from django.test import Client

    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith((".", "["))]
    client = Client(SERVER_NAME=hosts[0] if hosts else "localhost")
    session = client.session
    session[SESSION_KEY] = user.pk
    session[HASH_KEY] = _password_hash(user)
    session.save()
    return client


def _floor_sql(path: str, page: int) -> tuple[str, list[Any]]:
    """The page of orders of the subtree in bare SQL: the subtree condition as Accord's own
    (`subtree_q`: `LIKE 'prefix%'` on PostgreSQL, a range on SQLite), the slice written into the
    text as Django writes it. A range on PostgreSQL made the floor 400 ms: estimated from the
    histogram, it looked like thousands of customers."""
    subtree, params = Customer.objects.filter(subtree_q(path)).values("id").query.sql_with_params()
    order = Order._meta.db_table
    sql = (
        f"SELECT o.* FROM {order} o WHERE o.customer_id IN ({subtree}) "  # noqa: S608
        f"ORDER BY o.created_at DESC, o.id DESC LIMIT {int(PAGE_SIZE)} OFFSET {int((page - 1) * PAGE_SIZE)}"
    )
    return sql, list(params)


def _timed(fn: Any, count: int, pages: int) -> list[float]:
    latencies = []
    for n in range(count):
        start = time.perf_counter()
        fn(1 + n % pages)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def _measure(ctx: BenchContext, root: Customer, admin: User) -> tuple[dict[str, list[list[float]]], str]:
    """Latencies per face and run, and a note; the caller rolls back."""
    buyer = corporate_buyer(root, admin)
    client = bench_client(buyer)
    orders = access.visible(buyer, ORDER, Order.objects.all()).count()
    pages = max(1, min(PAGES, math.ceil(orders / PAGE_SIZE)))
    url, api = reverse("storefront:orders"), "/api/storefront/v1/orders"
    secure = settings.SECURE_SSL_REDIRECT
    errors = 0

    def get(path: str) -> None:
        nonlocal errors
        errors += client.get(path, secure=secure).status_code != 200

    statements = {page: _floor_sql(root.path, page) for page in range(1, pages + 1)}

    def bare(page: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute(*statements[page])
            cursor.fetchall()

    faces: dict[str, list[list[float]]] = {"page": [], "api": [], "floor": []}
    for _ in range(ctx.runs):
        faces["page"].append(_timed(lambda p: get(f"{url}?page={p}"), REQUESTS, pages))
        faces["api"].append(_timed(lambda p: get(f"{api}?page={p}&page_size={PAGE_SIZE}"), REQUESTS, pages))
        faces["floor"].append(_timed(bare, REQUESTS, pages))
    subtree = Customer.objects.filter(path__startswith=root.path)
    depth = max(subtree.values_list("depth", flat=True)) - root.depth
    note = (
        f"buyer at customer #{root.pk} ({subtree.count() - 1} customers below, {depth} levels) sees "
        f"{orders:,} orders; pages 1-{pages} of {PAGE_SIZE}; {errors} errors; floor = the page by path prefix"
    )
    return faces, note


def run_storefront(ctx: BenchContext) -> None:
    root = top_of_deepest()
    if root is None:
        ctx.log("storefront: there are no customers")
        return
    admin = User.objects.get(username=ADMIN_USERNAME)
    try:
        with transaction.atomic():
            faces, note = _measure(ctx, root, admin)
            raise _Rollback
    except _Rollback:
        pass
    for key, label in (("page", "my orders page"), ("api", "GET /api/storefront/v1/orders")):
        for pct in (50, 95):
            ctx.add(
                Figure(
                    "storefront",
                    f"{label} p{pct}",
                    "ms",
                    [percentile(run, pct) for run in faces[key]],
                    [percentile(run, pct) for run in faces["floor"]],
                    False,
                    "",
                    note,
                )
            )


def register() -> None:
    bench_suites.register(
        "storefront",
        BenchSuite("storefront", "Storefront: my orders of a whole hierarchy", run_storefront, 35),
    )
