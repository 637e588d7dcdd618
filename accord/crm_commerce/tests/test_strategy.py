"""Switching the account strategy (oro-spec §2.1, items 28-36, Accord's preview and robustness)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from accord.crm.models import Account, CustomerAssociation
from accord.crm_commerce.models import CustomerOwnAccount
from accord.crm_commerce.services._common import SOURCE, current_strategy
from accord.crm_commerce.services.strategy import (
    JOB_TYPE,
    account_strategy_preview,
    account_strategy_switch,
    relink_all,
)
from accord.crm_commerce.tests.conftest import account_of, account_value
from accord.platform.jobs import job_run
from accord.platform.models import Job, User

pytestmark = pytest.mark.django_db


def _family(make_customer: Callable[..., Any]) -> tuple[Any, Any, Any, Any]:
    r1, r2 = make_customer("R1"), make_customer("R2")
    c1 = make_customer("C1", r1)
    g1 = make_customer("G1", c1)
    return r1, r2, c1, g1


def test_changing_the_setting_enqueues_exactly_one_job(
    admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    """oro-spec #28: a change queues one job with the new value; saving the same value queues nothing."""
    with django_capture_on_commit_callbacks(execute=False):
        job = account_strategy_switch(strategy="root", actor=admin)
        assert job is not None
        assert job.type == JOB_TYPE
        assert job.params == {"strategy": "root"}
        assert account_strategy_switch(strategy="root", actor=admin) is None
    assert Job.objects.filter(type=JOB_TYPE).count() == 1
    assert current_strategy() == "root"


def test_unknown_strategy_is_refused(admin: User) -> None:
    from accord.platform.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as error:
        account_strategy_switch(strategy="tree", actor=admin)
    assert "strategy" in error.value.field_errors


def test_switch_to_root_relinks_every_child_and_keeps_their_accounts(
    make_customer: Callable[..., Any], admin: User, django_capture_on_commit_callbacks: Any
) -> None:
    """oro-spec #29, #30, #34: children at every depth take their root's account, their own one is
    remembered and not deleted, roots keep theirs."""
    r1, r2, c1, g1 = _family(make_customer)
    before = {c.pk: account_of(c) for c in (r1, r2, c1, g1)}
    with django_capture_on_commit_callbacks(execute=False):
        job = account_strategy_switch(strategy="root", actor=admin)
    assert job is not None
    job = job_run(job_id=job.pk)
    assert job.status == "succeeded", job.error
    assert job.result["customers_moved"] == 2
    assert account_of(r1) == before[r1.pk]
    assert account_of(r2) == before[r2.pk]
    assert account_of(c1) == account_of(g1) == before[r1.pk]
    assert Account.objects.filter(pk__in=before.values()).count() == 4  # #30
    assert CustomerOwnAccount.objects.get(customer_id=c1.pk).account_id == before[c1.pk]


def test_switch_back_to_each_restores_own_accounts(make_customer: Callable[..., Any], admin: User) -> None:
    """oro-spec #31, #33: the remembered account comes back; without one, a new account."""
    r1, _, c1, g1 = _family(make_customer)
    own_c1 = account_of(c1)
    relink_all(strategy="root", actor=admin)
    CustomerOwnAccount.objects.filter(customer_id=g1.pk).update(account=None)
    relink_all(strategy="each", actor=admin)
    assert account_of(c1) == own_c1
    assert account_of(g1) not in (account_of(r1), own_c1)
    assert Account.objects.get(pk=account_of(g1)).name == "G1"


def test_switch_to_each_keeps_an_account_that_differs_from_the_root(
    make_customer: Callable[..., Any], make_account: Callable[..., Any], admin: User
) -> None:
    """oro-spec #32."""
    from accord.crm_commerce.services.linking import customer_link_to

    r1, _, c1, _ = _family(make_customer)
    relink_all(strategy="root", actor=admin)
    chosen = make_account("Chosen")
    customer_link_to(customer_id=c1.pk, account=chosen, actor=admin)
    relink_all(strategy="each", actor=admin)
    assert account_of(c1) == chosen.pk


def test_switch_never_aborts_on_a_customer_without_account(
    make_customer: Callable[..., Any], admin: User
) -> None:
    """Accord goes further than oro-spec #36: a customer without a link gets one, the rest goes on."""
    r1, _, c1, g1 = _family(make_customer)
    CustomerAssociation.objects.filter(source_type=SOURCE, source_id__in=[r1.pk, c1.pk]).delete()
    result = relink_all(strategy="root", actor=admin)
    assert result["customers_linked"] == 2
    assert account_of(r1) == account_of(c1) == account_of(g1) is not None


def test_switch_is_idempotent(make_customer: Callable[..., Any], admin: User) -> None:
    _family(make_customer)
    relink_all(strategy="root", actor=admin)
    links = dict(
        CustomerAssociation.objects.filter(source_type=SOURCE).values_list("source_id", "account_id")
    )
    again = relink_all(strategy="root", actor=admin)
    assert again["customers_moved"] == again["accounts_created"] == again["customers_linked"] == 0
    assert (
        dict(CustomerAssociation.objects.filter(source_type=SOURCE).values_list("source_id", "account_id"))
        == links
    )


def test_preview_shows_what_the_switch_does(make_customer: Callable[..., Any], admin: User) -> None:
    """The preview and the job come from one plan: counts, and rows from which account to which."""
    r1, _, c1, g1 = _family(make_customer)
    preview = account_strategy_preview(strategy="root")
    assert (preview["customers_to_move"], preview["accounts_to_create"]) == (2, 0)
    moves = {m["customer_id"]: m for m in preview["moves"]}
    assert moves[c1.pk]["from_account_id"] == account_of(c1)
    assert moves[c1.pk]["to_account_id"] == account_of(r1)
    assert current_strategy() == "each"  # a preview changes nothing
    relink_all(strategy="root", actor=admin)
    back = account_strategy_preview(strategy="each")
    assert back["customers_to_move"] == 2
    assert back["accounts_to_create"] == 0
    assert account_strategy_preview(strategy="root")["customers_to_move"] == 0


def test_switch_moves_lifetime_values_with_the_customers(
    customer_in_use: Callable[..., Any], place_order: Callable[..., Any], admin: User
) -> None:
    """oro-spec #35: figures follow the links (customer values do not change, account values do)."""
    from accord.commerce.services.payments import order_payment_record

    parent, _ = customer_in_use("Parent")
    child, child_user = customer_in_use("Child", parent)
    order = place_order(child_user, "40.00")
    order_payment_record(order=order, amount="40.00", actor=admin)
    child_account = account_of(child)
    relink_all(strategy="root", actor=admin)
    assert account_value(account_of(parent)) == Decimal("40.00")
    assert account_value(child_account) == Decimal("0.00")
    relink_all(strategy="each", actor=admin)
    assert account_value(child_account) == Decimal("40.00")
    assert account_value(account_of(parent)) == Decimal("0.00")


def test_switch_runs_set_based(admin: User, django_assert_max_num_queries: Any) -> None:
    """The number of statements does not grow with the customers (batches of 1,000)."""
    from accord.commerce.models import EntryPoint
    from accord.commerce.services.bulk import customers_bulk_create

    rows: list[dict[str, Any]] = []
    for n in range(40):
        rows.append({"name": f"Root {n}", "parent": None})
        rows.append({"name": f"Child {n}", "parent": len(rows) - 1})
        rows.append({"name": f"Grandchild {n}", "parent": len(rows) - 1})
    customers_bulk_create(rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)
    with django_assert_max_num_queries(40):
        result = relink_all(strategy="root", actor=admin)
    assert result["customers_moved"] == 80
    with django_assert_max_num_queries(40):
        result = relink_all(strategy="each", actor=admin)
    assert result["customers_moved"] == 80
    assert result["accounts_created"] == 0


@pytest.mark.parametrize("strategy", ["each", "root"])
def test_undoing_a_merge_after_a_switch_keeps_every_hierarchy_on_its_roots_account(
    make_customer: Callable[..., Any], admin: User, set_strategy: Callable[[str], None], strategy: str
) -> None:
    """Found by the bridge's random sequences: under `each` a child's own account is merged into its
    root's; the strategy becomes `root` (the child is already where its root is); undoing the merge
    restored the child's old link, apart from its root. Now the hierarchy follows its root again;
    under `each` the undo gives the child its account back."""
    from accord.crm.services.merges import accounts_merge, merge_undo

    r1, _, c1, g1 = _family(make_customer)
    root_account, child_account = account_of(r1), account_of(c1)
    merge = accounts_merge(
        master=Account.objects.get(pk=root_account),
        others=[Account.objects.get(pk=child_account)],
        actor=admin,
    ).merge
    assert account_of(c1) == root_account
    if strategy == "root":
        set_strategy("root")
        relink_all(strategy="root", actor=admin)

    merge_undo(merge=merge, actor=admin)

    assert Account.objects.filter(pk=child_account).exists()
    if strategy == "root":
        assert account_of(c1) == account_of(g1) == account_of(r1) == root_account
    else:
        assert account_of(c1) == child_account
        assert account_of(r1) == root_account


def test_switch_rewrites_only_the_account_documents_it_changes(
    make_customer: Callable[..., Any], admin: User
) -> None:
    """A child's own account is named after it, so its document is the same with or without the child:
    its search entry stays (decision 0062 addendum); the root's account gains and loses the names."""
    from accord.platform.models import SearchEntry
    from accord.platform.search import search

    r1, r2, c1, g1 = _family(make_customer)
    own = {c.pk: account_of(c) for c in (r1, r2, c1, g1)}

    def entries() -> dict[int, int]:
        rows = SearchEntry.objects.filter(entity="crm.account", object_id__in=own.values())
        return dict(rows.values_list("object_id", "id"))

    before = entries()
    relink_all(strategy="root", actor=admin)
    under_root = entries()
    assert {pk: under_root[pk] for pk in (own[r2.pk], own[c1.pk], own[g1.pk])} == {
        pk: before[pk] for pk in (own[r2.pk], own[c1.pk], own[g1.pk])
    }
    assert under_root[own[r1.pk]] > max(before.values())  # R1's account now says C1 and G1
    assert ("crm.account", own[r1.pk]) in [(h.entity, h.object_id) for h in search(admin, "G1")]

    relink_all(strategy="each", actor=admin)
    after = entries()
    assert {pk: after[pk] for pk in (own[r2.pk], own[c1.pk], own[g1.pk])} == {
        pk: before[pk] for pk in (own[r2.pk], own[c1.pk], own[g1.pk])
    }
    assert after[own[r1.pk]] > under_root[own[r1.pk]]
    assert ("crm.account", own[r1.pk]) not in [(h.entity, h.object_id) for h in search(admin, "G1")]
    assert ("crm.account", own[g1.pk]) in [(h.entity, h.object_id) for h in search(admin, "G1")]


def test_switch_rewrites_an_account_whose_title_is_not_the_customers_name(
    make_customer: Callable[..., Any], admin: User
) -> None:
    """The other side of the rule: an own account renamed after linking carries its customer's name
    in its document, so it is rewritten when the customer leaves and when it comes back."""
    from accord.platform.search import search, search_index_update

    r1, _, c1, _ = _family(make_customer)
    own = account_of(c1)
    Account.objects.filter(pk=own).update(name="Zeta Trading")
    search_index_update(entity="crm.account", ids=[own])

    def found() -> bool:
        return ("crm.account", own) in [(h.entity, h.object_id) for h in search(admin, "C1")]

    assert found()
    relink_all(strategy="root", actor=admin)
    assert not found()
    assert ("crm.account", account_of(r1)) in [(h.entity, h.object_id) for h in search(admin, "C1")]
    relink_all(strategy="each", actor=admin)
    assert account_of(c1) == own
    assert found()
