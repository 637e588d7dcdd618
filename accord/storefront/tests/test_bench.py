"""The storefront suite: a Corporate buyer at the top of the deepest hierarchy, beside the bare page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, Order
from accord.platform.bench import BenchContext
from accord.platform.models import AuditEntry, User
from accord.platform.setup import ADMIN_USERNAME, install_ensure
from accord.platform.setup_scale import demo_generate
from accord.storefront import access
from accord.storefront.bench import corporate_buyer, run_storefront, top_of_deepest
from accord.storefront.selectors import ORDER


@pytest.fixture
def generated(db: Any) -> None:
    install_ensure()
    demo_generate(
        scale=0.01,
        seed=7,
        progress=lambda *a: None,
        only=["platform", "commerce.customers", "commerce.customer_users", "commerce.orders"],
    )


def _counts() -> tuple[int, ...]:
    return (
        Session.objects.count(),
        CustomerUser.objects.count(),
        CustomerUserRole.users.through.objects.count(),
        AuditEntry.objects.count(),
        Order.objects.count(),
    )


def test_storefront_suite_reports_page_and_api_beside_the_bare_page(generated) -> None:
    before = _counts()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    run_storefront(ctx)

    assert [f.name for f in ctx.figures] == [
        "my orders page p50",
        "my orders page p95",
        "GET /api/storefront/v1/orders p50",
        "GET /api/storefront/v1/orders p95",
    ]
    for figure in ctx.figures:
        assert (figure.suite, figure.unit, figure.higher_is_better) == ("storefront", "ms", False)
        assert len(figure.samples) == 2
        assert all(s > 0 for s in figure.samples)
        assert len(figure.floor_samples) == 2
        assert all(s > 0 for s in figure.floor_samples)
        assert "; 0 errors;" in figure.note  # every request answered 200
    assert _counts() == before  # the session (and any role given) rolled back


def test_the_buyer_sits_at_the_top_of_the_deepest_hierarchy_and_sees_it_all(generated) -> None:
    root = top_of_deepest()
    deepest = max(Customer.objects.values_list("depth", flat=True))
    admin = User.objects.get(username=ADMIN_USERNAME)

    buyer = corporate_buyer(root, admin)

    assert root.parent_id is None
    assert max(Customer.objects.filter(path__startswith=root.path).values_list("depth", flat=True)) == deepest
    assert deepest >= 3  # the generator makes chains 4 deep
    assert buyer.customer_id == root.pk
    subtree_orders = Order.objects.filter(customer__path__startswith=root.path).count()
    assert access.visible(buyer, ORDER, Order.objects.all()).count() == subtree_orders > 0


def test_a_buyer_without_corporate_reach_is_given_the_administrator_role(generated) -> None:
    root = top_of_deepest()
    admin = User.objects.get(username=ADMIN_USERNAME)
    CustomerUserRole.users.through.objects.filter(customeruser__customer=root).delete()

    buyer = corporate_buyer(root, admin)

    assert [r.role for r in buyer.roles.all()] == ["ROLE_FRONTEND_ADMINISTRATOR"]
    assert access.visible(buyer, ORDER, Order.objects.all()).count() > 0
