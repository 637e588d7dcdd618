"""Accounts for commerce customers from every entry point (oro-spec §2.1, items 14-21, 27, 37-39, 66)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accord.commerce.models import EntryPoint
from accord.commerce.services.bulk import customers_bulk_create
from accord.commerce.services.customers import customer_delete, customer_move
from accord.crm.models import Account, Channel, CustomerAssociation
from accord.crm_commerce.models import CustomerOwnAccount
from accord.crm_commerce.services._common import SOURCE, current_strategy
from accord.crm_commerce.services.linking import account_given
from accord.crm_commerce.tests.conftest import account_of
from accord.platform.models import User

pytestmark = pytest.mark.django_db


def test_strategy_defaults_to_each(db: Any) -> None:
    """oro-spec #14: the account strategy setting defaults to `each`."""
    assert current_strategy() == "each"


@pytest.mark.parametrize("strategy", ["each", "root"])
def test_root_customer_gets_an_account_named_after_it(
    strategy: str, set_strategy: Callable[[str], None], make_customer: Callable[..., Any], admin: User
) -> None:
    """oro-spec #15, #16, #17, #27: a new root gets an account of its name, owner and organization of
    the customer, and the commerce channel (active, created on first use)."""
    set_strategy(strategy)
    customer = make_customer("Acme Corp")
    account = Account.objects.get(pk=account_of(customer))
    assert account.name == "Acme Corp"
    assert account.owner_id == customer.owner_id == admin.pk
    assert account.organization_id == customer.organization_id
    row = CustomerAssociation.objects.get(source_type=SOURCE, source_id=customer.pk)
    channel = Channel.objects.get(pk=row.channel_id)
    assert (channel.channel_type, channel.status) == ("commerce", "active")
    assert CustomerOwnAccount.objects.get(customer_id=customer.pk).account_id == account.pk


def test_customer_without_owner_gets_default_customer_owner(
    make_customer: Callable[..., Any], make_user: Callable[..., User], tree: Any
) -> None:
    """oro-spec #16: with no owner, the configured default customer owner owns the account."""
    from accord.commerce.models import CustomerUserRole
    from accord.commerce.services.registration import customer_register

    make_user("admin", roles=["administrator"], unit=tree.commerce)
    buyer = CustomerUserRole.objects.get(role="ROLE_FRONTEND_BUYER")
    user = customer_register(
        company_name="Self Made Ltd",
        first_name="Sam",
        last_name="Self",
        email="sam@example.com",
        password="violet-harbor-lantern-42",
        role=buyer,
        confirmation_required=False,
        actor=None,
    )
    account = Account.objects.get(pk=account_of(user.customer))
    assert account.name == "Self Made Ltd"  # oro-spec #66
    assert account.owner.username == "admin"
    assert account.business_unit_id == tree.commerce.pk


def test_each_gives_a_child_its_own_account(make_customer: Callable[..., Any]) -> None:
    """oro-spec #18."""
    root = make_customer("Root")
    child = make_customer("Child", root)
    assert account_of(child) != account_of(root)
    assert Account.objects.get(pk=account_of(child)).name == "Child"


def test_root_links_children_at_any_depth_to_the_root_account(
    set_strategy: Callable[[str], None], make_customer: Callable[..., Any]
) -> None:
    """oro-spec #19."""
    set_strategy("root")
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    assert account_of(root) == account_of(child) == account_of(grandchild)
    assert Account.objects.filter(name__in=["Child", "Grandchild"]).count() == 0


def test_root_whose_root_has_no_account_links_the_root_first(
    set_strategy: Callable[[str], None], make_customer: Callable[..., Any]
) -> None:
    """oro-spec #20, adjusted: the root without an account gets one and the child shares it, so that
    under `root` every customer's account is its root's (the reference gives the child its own)."""
    root = make_customer("Root")
    CustomerAssociation.objects.filter(source_type=SOURCE, source_id=root.pk).delete()
    set_strategy("root")
    child = make_customer("Child", root)
    assert account_of(root) is not None
    assert account_of(child) == account_of(root)


def test_explicit_account_is_used_whatever_the_strategy(
    set_strategy: Callable[[str], None], make_customer: Callable[..., Any], make_account: Callable[..., Any]
) -> None:
    """oro-spec #21."""
    chosen = make_account("Chosen")
    set_strategy("root")
    root = make_customer("Root")
    with account_given(chosen):
        child = make_customer("Child", root)
    assert account_of(child) == chosen.pk
    assert not Account.objects.filter(name="Child").exists()


def test_bulk_created_customers_are_linked_set_based(
    admin: User, set_strategy: Callable[[str], None], django_assert_max_num_queries: Any
) -> None:
    """An import of a hierarchy: under `root` children share their root's account; the number of
    statements does not grow with the rows."""
    set_strategy("root")
    rows: list[dict[str, Any]] = []
    for n in range(30):
        rows.append({"name": f"Root {n}", "parent": None})
        rows.append({"name": f"Child {n}", "parent": len(rows) - 1})
    with django_assert_max_num_queries(60):
        customers = customers_bulk_create(rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)
    for root, child in zip(customers[::2], customers[1::2], strict=True):
        assert account_of(child) == account_of(root) is not None
    assert Account.objects.count() == 30


def test_root_move_relinks_the_subtree(
    set_strategy: Callable[[str], None], make_customer: Callable[..., Any], admin: User
) -> None:
    """Accord goes further than oro-spec #37: under `root` a moved subtree follows its new root's
    account; a customer made a root gets its own account back."""
    root_a, root_b = make_customer("A"), make_customer("B")
    child = make_customer("Child", root_a)
    own = account_of(child)
    set_strategy("root")
    from accord.crm_commerce.services.strategy import relink_all

    relink_all(strategy="root", actor=admin)
    grandchild = make_customer("Grandchild", child)
    assert account_of(child) == account_of(grandchild) == account_of(root_a)
    customer_move(customer=child, parent=root_b, actor=admin)
    assert account_of(child) == account_of(grandchild) == account_of(root_b)
    customer_move(customer=child, parent=None, actor=admin)
    assert account_of(child) == account_of(grandchild) == own


def test_each_move_keeps_the_account(make_customer: Callable[..., Any], admin: User) -> None:
    """oro-spec #37 (under `each`): changing the parent does not change the account."""
    root_a, root_b = make_customer("A"), make_customer("B")
    child = make_customer("Child", root_a)
    before = account_of(child)
    customer_move(customer=child, parent=root_b, actor=admin)
    assert account_of(child) == before


def test_deleting_a_customer_keeps_account_and_opportunities(
    make_customer: Callable[..., Any], admin: User
) -> None:
    """oro-spec #38: the account stays; opportunities of the customer move to the account's own row."""
    from accord.crm.models import Opportunity

    customer = make_customer("Gone Soon")
    account_id = account_of(customer)
    hub = CustomerAssociation.objects.get(source_type=SOURCE, source_id=customer.pk)
    opportunity = _opportunity(hub, admin)
    customer_delete(customer=customer, actor=admin)
    assert Account.objects.filter(pk=account_id).exists()
    moved = Opportunity.objects.get(pk=opportunity.pk)
    assert moved.customer_association.account_id == account_id
    assert moved.customer_association.source_type is None


def test_deleting_a_parent_under_root_gives_children_their_accounts(
    set_strategy: Callable[[str], None], make_customer: Callable[..., Any], admin: User
) -> None:
    """oro-spec #10 with the strategy: former children become roots with accounts of their own."""
    set_strategy("root")
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    customer_delete(customer=root, actor=admin)
    assert account_of(child) == account_of(grandchild)
    assert Account.objects.get(pk=account_of(child)).name == "Child"


def test_deleting_an_account_leaves_customers_without_one(
    make_customer: Callable[..., Any], admin: User
) -> None:
    """oro-spec #39: the customer survives without account."""
    from accord.crm.services.accounts import account_delete

    customer = make_customer("Orphan")
    account_delete(account=Account.objects.get(pk=account_of(customer)), actor=admin)
    assert account_of(customer) is None
    assert CustomerOwnAccount.objects.get(customer_id=customer.pk).account_id is None


def test_a_failing_link_rolls_the_customer_back(make_customer: Callable[..., Any], monkeypatch: Any) -> None:
    """The listener writes in the customer's transaction: when linking fails, no customer is left."""
    from accord.commerce.models import Customer
    from accord.crm_commerce.services import linking

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(linking, "accounts_create", broken)
    with pytest.raises(RuntimeError):
        make_customer("Never")
    assert not Customer.objects.filter(name="Never").exists()


def _opportunity(hub: CustomerAssociation, admin: User) -> Any:
    from accord.crm.services.opportunities import opportunity_create

    return opportunity_create(name="Deal", customer_association=hub, actor=admin)
