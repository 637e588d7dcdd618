"""Search providers and the demo loader."""

from __future__ import annotations

from accord.commerce import demo
from accord.commerce.models import Customer, CustomerUser, Product
from accord.commerce.services.customers import customer_delete
from accord.commerce.services.products import product_create
from accord.platform import demo as platform_demo
from accord.platform.models import AccessLevel
from accord.platform.search import search


def commerce_hits(user, query):
    """Commerce's own hits: with the bridge installed, customers also bring CRM accounts (0030)."""
    return [h for h in search(user, query) if h.entity.startswith("commerce.")]


def test_search_finds_customers_users_and_products_within_the_acl(
    admin, make_customer, make_customer_user, make_user, tree
):
    acme = make_customer("Acme Widgets")
    make_customer_user(acme, email="jane.roe@acme.test", first_name="Jane", last_name="Roe")
    product_create(sku="WID-42", name="Blue widget", unit_price="3", currency="EUR", actor=admin)
    assert sorted(h.title for h in commerce_hits(admin, "acme")) == [  # hits come newest first (0062)
        "Acme Widgets",
        "Jane Roe",
    ]  # users carry their customer
    assert [h.entity for h in search(admin, "jane.roe")] == ["commerce.customer_user"]
    assert [h.entity for h in search(admin, "roe")] == ["commerce.customer_user"]
    assert [h.entity for h in search(admin, "WID-42")] == ["commerce.product"]
    assert search(admin, "acme", entity="commerce.customer")[0].url.endswith(f"/customers/{acme.pk}/")
    outsider = make_user("outsider", unit=tree.east, grants={"commerce.customer": {"view": AccessLevel.USER}})
    assert commerce_hits(outsider, "acme") == []


def test_deleted_customers_leave_the_index(admin, make_customer):
    gone = make_customer("Ephemeral Ltd")
    customer_delete(customer=gone, actor=admin)
    assert commerce_hits(admin, "ephemeral") == []


def test_demo_loader_builds_deep_hierarchies_once(tree, admin):
    platform_demo.load(organization=tree.org, admin=admin, password="demo-password-for-tests-1")
    demo.load(organization=tree.org, admin=admin)
    demo.load(organization=tree.org, admin=admin)  # idempotent
    assert Customer.objects.filter(parent__isnull=True).count() == 3
    assert Customer.objects.order_by("-depth").first().depth == 3
    assert Customer.objects.filter(owner__username="carl.commerce").exists()
    assert Customer.objects.filter(owner__username="maria.manager").exists()
    assert all(user.roles.exists() for user in CustomerUser.objects.all())
    assert Product.objects.count() == len(demo.PRODUCTS)
