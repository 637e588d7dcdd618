"""Orders in search (identifier, PO number, within the ACL), documents under the storefront ACL,
and the demo documents."""

from __future__ import annotations

from accord.commerce import demo, demo_documents, storefront_acl
from accord.commerce.models import Order, PaymentStatus, Quote, Rfq, ShoppingList, StorefrontLevel
from accord.commerce.services.orders import order_delete
from accord.commerce.services.roles import customer_user_role_create
from accord.commerce.services.shopping_lists import shopping_list_create
from accord.platform import demo as platform_demo
from accord.platform.models import AccessLevel
from accord.platform.search import search


def test_orders_are_found_by_identifier_and_po_number_within_the_acl(
    admin, buyer, place_order, make_user, tree
):
    order = place_order(buyer, po_number="ACME-PO-7731")
    assert [h.entity for h in search(admin, order.identifier)] == ["commerce.order"]
    assert [h.object_id for h in search(admin, "ACME-PO-7731", entity="commerce.order")] == [order.pk]
    assert [h.object_id for h in search(admin, "7731", entity="commerce.order")] == [order.pk]
    hit = search(admin, order.identifier)[0]
    assert hit.url.endswith(f"/orders/{order.pk}/")
    outsider = make_user("outsider", unit=tree.east, grants={"commerce.order": {"view": AccessLevel.USER}})
    assert search(outsider, order.identifier) == []
    order_delete(order=order, actor=admin)
    assert search(admin, "ACME-PO-7731") == []


def test_documents_fit_the_storefront_acl(buyer, make_customer, make_customer_user, place_order, admin):
    """oro-spec #67/#68: User (Own) sees the user's own orders; Department those of its customer."""
    colleague = make_customer_user(buyer.customer)
    child = make_customer("Child", buyer.customer)
    child_user = make_customer_user(child)
    own, colleagues, childs = place_order(buyer), place_order(colleague), place_order(child_user)
    shopping_list_create(customer_user=buyer, name="Mine", actor=buyer)

    def role(level: int) -> object:
        return customer_user_role_create(
            label=f"Level {level}",
            customer=buyer.customer,
            grants={key: {"view": level} for key in ("commerce.order", "commerce.shopping_list")},
            actor=admin,
        )

    def visible(level: int) -> set[int]:
        buyer.roles.set([role(level)])
        storefront_acl.forget(buyer)
        return set(
            storefront_acl.filter_queryset(buyer, "commerce.order", "view", Order.objects.all()).values_list(
                "pk", flat=True
            )
        )

    assert visible(StorefrontLevel.USER) == {own.pk}
    assert visible(StorefrontLevel.DEPARTMENT) == {own.pk, colleagues.pk}
    assert visible(StorefrontLevel.CORPORATE) == {own.pk, colleagues.pk, childs.pk}
    assert (
        storefront_acl.filter_queryset(
            buyer, "commerce.shopping_list", "view", ShoppingList.objects.all()
        ).count()
        == 1
    )


def test_demo_documents_cover_three_currencies_and_mixed_payment_states(tree, admin):
    platform_demo.load(organization=tree.org, admin=admin, password="demo-password-for-tests-1")
    demo.load(organization=tree.org, admin=admin)
    demo_documents.load(organization=tree.org, admin=admin)
    count = Order.objects.count()
    demo_documents.load(organization=tree.org, admin=admin)  # idempotent
    assert Order.objects.count() == count == 3 * len(demo.CUSTOMERS)
    assert set(Order.objects.values_list("currency", flat=True)) == {"USD", "EUR", "GBP"}
    statuses = set(Order.objects.values_list("payment_status", flat=True))
    assert {
        PaymentStatus.PENDING,
        PaymentStatus.PARTIALLY_PAID,
        PaymentStatus.PAID_IN_FULL,
        PaymentStatus.REFUNDED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.CANCELLED,
    } <= statuses
    for customer_id in Order.objects.values_list("customer_id", flat=True).distinct():
        assert Order.objects.filter(customer_id=customer_id).count() == 3
    assert Rfq.objects.count() == Quote.objects.count() == 3
