"""oro-spec checklist items of the bridge that no other test covered (see docs/oro-checklist.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from accord.commerce.models import Order
from accord.commerce.services.order_lines import order_line_add
from accord.commerce.services.payments import order_payment_record
from accord.crm.models import Account, BusinessCustomer, Channel, CustomerAssociation, Opportunity
from accord.crm_commerce.services._common import SOURCE
from accord.crm_commerce.tests.conftest import account_of, account_value, value_of
from accord.platform.models import AccessLevel, User

pytestmark = pytest.mark.django_db


def _account_id(customer: Any) -> int:
    account_id = account_of(customer)
    assert account_id is not None, customer
    return account_id


def test_item_16_customer_without_owner_gets_the_default_customer_owner_on_its_account(
    make_customer: Callable[..., Any], make_user: Callable[..., User], tree: Any, admin: User
) -> None:
    """oro-spec #16: a customer with no owner gets an account owned by the default customer owner."""
    from accord.commerce.models import Customer
    from accord.crm_commerce.services.linking import customers_link

    default_owner = make_user("admin", roles=["administrator"], unit=tree.commerce)  # the setting's default
    customer = make_customer("Ownerless Ltd")
    CustomerAssociation.objects.filter(source_type=SOURCE, source_id=customer.pk).delete()
    Customer.objects.filter(pk=customer.pk).update(owner=None)

    links = customers_link(customer_ids=[customer.pk], actor=admin)

    account = Account.objects.get(pk=links[customer.pk])
    assert account.name == "Ownerless Ltd"
    assert account.owner_id == default_owner.pk != admin.pk
    assert account.business_unit_id == tree.commerce.pk
    assert account.organization_id == customer.organization_id


def test_item_26_customer_export_carries_the_account(
    console_as: Callable[[User], Any], admin: User, make_customer: Callable[..., Any], make_account: Any
) -> None:
    """oro-spec #26 (Accord exports the account's name, in the "Customer accounts" grid)."""
    from accord.crm_commerce.services.linking import customer_link_to

    linked = make_customer("Linked Co")
    moved = make_customer("Moved Co")
    customer_link_to(customer_id=moved.pk, account=make_account("Holding Group"), actor=admin)
    orphan = make_customer("Orphan Co")
    CustomerAssociation.objects.filter(source_type=SOURCE, source_id=orphan.pk).delete()

    response = console_as(admin).get(reverse("console:crm_commerce_customers"), {"export": "csv"})

    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    by_customer = {row["Customer"]: row for row in rows}
    assert by_customer["Linked Co"]["Account"] == Account.objects.get(pk=_account_id(linked)).name
    assert by_customer["Moved Co"]["Account"] == "Holding Group"
    assert by_customer["Orphan Co"]["Account"] == "— no account —"
    assert len(rows) == 3


def test_item_39_deleting_an_account_takes_its_opportunities_and_business_customers_not_its_customers(
    admin: User,
    make_customer: Callable[..., Any],
    make_bc: Callable[..., Any],
    make_opportunity: Callable[..., Any],
) -> None:
    """oro-spec #39: the account's hub rows, opportunities and business customers go; commerce customers
    survive without an account."""
    from accord.crm.services.accounts import account_delete
    from accord.crm.services.opportunities import opportunity_create

    customer = make_customer("Survivor Co")
    account = Account.objects.get(pk=_account_id(customer))
    business_customer = make_bc("B2B Arm", account)
    via_bc = make_opportunity("Via business customer", customer=business_customer)
    direct = make_opportunity("Direct", account=account)
    hub = CustomerAssociation.objects.get(source_type=SOURCE, source_id=customer.pk)
    via_commerce = opportunity_create(name="Via commerce customer", customer_association=hub, actor=admin)

    account_delete(account=account, actor=admin)

    assert not CustomerAssociation.objects.filter(account_id=account.pk).exists()
    assert not Opportunity.objects.filter(pk__in=[via_bc.pk, direct.pk, via_commerce.pk]).exists()
    assert not BusinessCustomer.objects.filter(pk=business_customer.pk).exists()
    customer.refresh_from_db()
    assert account_of(customer) is None


def test_item_47_changing_the_lines_of_a_paid_order_keeps_the_value_of_what_was_paid(
    admin: User,
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
    make_product: Callable[..., Any],
) -> None:
    """oro-spec #47, differing by design (decisions 0054, 0037): the value counts the money received, so
    a bigger subtotal counts once it is paid, not before."""
    customer, user = customer_in_use("Acme")
    order = place_order(user, "100.00")
    order_payment_record(order=order, amount="100.00", actor=admin)
    assert value_of(customer) == Decimal("100.00")

    order_line_add(order=order, product=make_product("50.00"), quantity=1, actor=admin)

    order = Order.objects.get(pk=order.pk)
    assert (order.subtotal, order.payment_status) == (Decimal("150.00"), "partially_paid")
    assert value_of(customer) == Decimal("100.00")
    assert account_value(_account_id(customer)) == Decimal("100.00")
    order_payment_record(order=order, amount="50.00", actor=admin)
    assert value_of(customer) == Decimal("150.00")
    assert account_value(_account_id(customer)) == Decimal("150.00")


def test_item_78_each_customer_block_lists_only_that_customers_records(
    admin: User,
    make_user: Callable[..., User],
    set_strategy: Callable[[str], None],
    customer_in_use: Callable[..., Any],
    place_order: Callable[..., Any],
) -> None:
    """oro-spec #78: each tab of a customer block lists only that customer's records, and a tab needs its
    own view grant."""
    from accord.crm_commerce.sections import section_context

    set_strategy("root")
    root, root_user = customer_in_use("Root Co")
    child, child_user = customer_in_use("Child Co", root)
    root_order, child_order = place_order(root_user, "10.00"), place_order(child_user, "20.00")
    account = Account.objects.get(pk=_account_id(root))
    channel = Channel.objects.get(channel_type="commerce", organization_id=account.organization_id)

    context = section_context(account, channel, admin)

    assert context is not None
    blocks = {block["customer"].pk: {t["key"]: t for t in block["tabs"]} for block in context["blocks"]}
    for customer, user, order in ((root, root_user, root_order), (child, child_user, child_order)):
        tabs = blocks[customer.pk]
        assert [row["id"] for row in tabs["orders"]["rows"]] == [order.pk]
        assert tabs["orders"]["count"] == 1
        assert [row["id"] for row in tabs["customer_users"]["rows"]] == [user.pk]
    viewer = make_user(
        "no-orders", grants={"commerce.customer": {"view": AccessLevel.ORGANIZATION}}
    )  # customers only: no document tab at all
    limited = section_context(account, channel, viewer)
    assert limited is not None
    assert all(block["tabs"] == [] for block in limited["blocks"])


def test_item_81_account_activities_reach_shopping_lists_rfqs_and_quotes(
    admin: User, customer_in_use: Callable[..., Any], make_product: Callable[..., Any]
) -> None:
    """oro-spec #81 (commerce documents): the account's activity paths reach its customers' shopping
    lists, RFQs and quotes, and not another account's."""
    from accord.commerce.services.quotes import quote_create_from_rfq, rfq_submit
    from accord.commerce.services.shopping_lists import shopping_list_create, shopping_list_item_add
    from accord.platform.registries import activity_paths

    def documents(user: Any) -> tuple[Any, Any, Any]:
        shopping_list = shopping_list_create(customer_user=user, name="Spring", actor=admin)
        shopping_list_item_add(shopping_list=shopping_list, product=make_product(), quantity=2, actor=admin)
        rfq = rfq_submit(shopping_list=shopping_list, customer_user=user, actor=admin)
        return shopping_list, rfq, quote_create_from_rfq(rfq=rfq, actor=admin)

    customer, user = customer_in_use("Active Co")
    shopping_list, rfq, quote = documents(user)
    _, other_user = customer_in_use("Other Co")
    documents(other_user)
    account_id = account_of(customer)

    related = {
        p.related_entity: set(p.related_ids(account_id).values_list("id", flat=True))
        for p in activity_paths
        if p.key in ("crm_commerce.shopping_lists", "crm_commerce.rfqs", "crm_commerce.quotes")
    }

    assert related == {
        "commerce.shopping_list": {shopping_list.pk},
        "commerce.rfq": {rfq.pk},
        "commerce.quote": {quote.pk},
    }
