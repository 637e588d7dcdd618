"""Switching the account strategy: a preview, then a background job that re-links every customer.

Both come from one plan, so the preview shows exactly what the job does. The plan is computed from
two reads (customers, hub rows) and applied set-based: new accounts in one bulk INSERT, links in
batched UPDATEs. Unlike the reference (oro-spec #36) it never aborts on a customer without a link:
it gives it one. It is idempotent (a second run finds nothing to do) and never deletes accounts;
a customer's own account is remembered and restored when switching back (decision 0055).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery

from accord.commerce.models import Customer
from accord.crm.models import Account
from accord.crm_commerce.models import CustomerOwnAccount
from accord.crm_commerce.services import lifetime, linking
from accord.crm_commerce.services._common import (
    EACH,
    ROOT,
    STRATEGY_SETTING,
    accounts_create,
    accounts_reindex,
    chunked,
    current_strategy,
    existing_accounts,
    hub_rows,
    own_accounts_remember,
)
from accord.platform.errors import ValidationFailed
from accord.platform.models import Job

JOB_TYPE = "crm_commerce.account_strategy_switch"
NEW = 0  # target account id meaning "a new account named after the customer"
PREVIEW_ROWS = 50


@dataclass
class Plan:
    strategy: str
    unlinked: list[int] = field(default_factory=list)  # customers that get a link first
    moves: dict[int, int] = field(default_factory=dict)  # customer -> target account id (NEW = new)
    current: dict[int, int] = field(default_factory=dict)  # customer -> account id now
    remember: dict[int, int] = field(default_factory=dict)  # customer -> own account to remember

    @property
    def new_accounts(self) -> int:
        return sum(1 for target in self.moves.values() if target == NEW)


def check_strategy(strategy: str, *, field: str = "strategy") -> str:
    if strategy not in (EACH, ROOT):
        raise ValidationFailed({field: "Choose one of: each, root."})
    return strategy


def plan(strategy: str) -> Plan:
    """What switching to `strategy` changes, for customers that are linked now (oro-spec #29-#34)."""
    result = Plan(check_strategy(strategy))
    links = dict(hub_rows().values_list("source_id", "account_id"))
    roots = dict(Customer.objects.values_list("pk", "root_id"))
    result.current = links
    result.unlinked = sorted(pk for pk in roots if pk not in links)
    own = dict(CustomerOwnAccount.objects.exclude(account=None).values_list("customer_id", "account_id"))
    alive = existing_accounts(own.values())
    for pk, root_id in roots.items():
        current = links.get(pk)
        if current is None or root_id in (None, pk):
            continue  # roots keep their account (#34); unlinked ones are linked first
        root_account = links.get(root_id)
        if strategy == ROOT:
            if root_account is not None and current != root_account:
                result.moves[pk] = root_account
                result.remember[pk] = current  # #29 previous account
            continue
        previous = own.get(pk) if own.get(pk) in alive else None
        if current != root_account:
            continue  # #32: it already has an account of its own
        if previous is not None and previous not in (current, root_account):
            result.moves[pk] = previous  # #31
        else:
            result.moves[pk] = NEW  # #33
    return result


def account_strategy_preview(*, strategy: str, rows: int = PREVIEW_ROWS) -> dict[str, Any]:
    """Counts and the first rows of what a switch to `strategy` would do."""
    the_plan = plan(strategy)
    ids = sorted(the_plan.moves)[:rows]
    names = dict(Customer.objects.filter(pk__in=ids + the_plan.unlinked[:rows]).values_list("pk", "name"))
    accounts = {the_plan.current[pk] for pk in ids} | {t for pk in ids if (t := the_plan.moves[pk])}
    account_names = dict(Account.objects.filter(pk__in=accounts).values_list("pk", "name"))
    return {
        "strategy": strategy,
        "current_strategy": current_strategy(),
        "accounts_to_create": the_plan.new_accounts,
        "customers_to_move": len(the_plan.moves),
        "customers_to_link": len(the_plan.unlinked),
        "moves": [
            {
                "customer_id": pk,
                "customer_name": names.get(pk, ""),
                "from_account_id": the_plan.current[pk],
                "from_account_name": account_names.get(the_plan.current[pk], ""),
                "to_account_id": the_plan.moves[pk] or None,
                "to_account_name": account_names.get(the_plan.moves[pk], "") or names.get(pk, ""),
                "new_account": the_plan.moves[pk] == NEW,
            }
            for pk in ids
        ],
        "unlinked": [
            {"customer_id": pk, "customer_name": names.get(pk, "")} for pk in the_plan.unlinked[:rows]
        ],
    }


def account_strategy_switch(*, strategy: str, actor: Any) -> Job | None:
    """Save the setting; the change enqueues the re-linking job (None when the value is unchanged, #28)."""
    from accord.platform.services.settings import setting_set

    check_strategy(strategy)
    with transaction.atomic():
        if current_strategy() == strategy:
            return None
        setting_set(key=STRATEGY_SETTING, value=strategy, actor=actor)
        return Job.objects.filter(type=JOB_TYPE).order_by("-pk").first()


def on_setting_changed(*, old: Any, new: Any, actor: Any) -> None:
    """The setting's hook (any face that changes it): queue exactly one job (#28)."""
    from accord.platform.jobs import job_enqueue

    if old != new:
        job_enqueue(type=JOB_TYPE, params={"strategy": new}, actor=actor)


def switch_job(ctx: Any, *, strategy: str) -> dict[str, Any]:
    """The job: the strategy in force when it runs wins (a later switch queued its own job)."""
    return relink_all(strategy=current_strategy(), actor=ctx.job.created_by, progress=ctx.progress)


def relink_all(*, strategy: str, actor: Any, progress: Any = None) -> dict[str, Any]:
    """Apply the plan of `strategy` to every customer, in one transaction; idempotent."""
    with transaction.atomic():
        linked = linking.customers_link(
            customer_ids=Customer.objects.filter(linking.not_linked()).values_list("pk", flat=True),
            actor=actor,
            strategy=strategy,
        )
        the_plan = plan(strategy)
        total = len(the_plan.moves)
        if progress:
            progress(0, total, force=True)
        new_for = [pk for pk, target in the_plan.moves.items() if target == NEW]
        fields = linking.CUSTOMER_FIELDS
        new = [c for chunk in chunked(new_for) for c in Customer.objects.filter(pk__in=chunk).only(*fields)]
        created = accounts_create(new, actor=actor, index=False)
        own_accounts_remember(the_plan.remember)
        restored = {pk: target for pk, target in the_plan.moves.items() if target != NEW}
        _apply(strategy, list(the_plan.moves), progress)
        # Only the accounts a customer left or joined change: their figures and search documents.
        left = {the_plan.current[pk] for pk in the_plan.moves}
        touched = left | set(restored.values()) | set(created.values())
        lifetime.accounts_refresh(touched)
        accounts_reindex(touched)
    return {
        "strategy": strategy,
        "customers_linked": len(linked),
        "customers_moved": total,
        "accounts_created": len(created),
    }


def _apply(strategy: str, movers: list[int], progress: Any) -> None:
    """Re-point hub rows with one correlated UPDATE per 1,000 customers: to the root's account, or to
    the customer's own account (restored, or just created and remembered)."""
    if strategy == ROOT:
        root_of = Customer.objects.filter(pk=OuterRef(OuterRef("source_id"))).values("root_id")[:1]
        target = Subquery(hub_rows().filter(source_id=Subquery(root_of)).values("account_id")[:1])
    else:
        target = Subquery(
            CustomerOwnAccount.objects.filter(customer_id=OuterRef("source_id")).values("account_id")[:1]
        )
    done = 0
    for chunk in chunked(sorted(movers)):
        hub_rows().filter(source_id__in=chunk).update(account_id=target)
        done += len(chunk)
        if progress:
            progress(done, len(movers))
