"""Every commerce customer linked to exactly one account, whatever created, moved or deleted it.

The link is the CRM hub row (decision 0050). New customers get one per the account strategy
(oro-spec §2.1): `each` — a new account named after the customer; `root` — the root ancestor's
account (a root gets its own). Under `root` a move re-links the whole subtree (decision 0053).
All of it runs inside the commerce service's transaction (the events are sent inside it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import transaction

from accord.commerce.models import Customer
from accord.crm.models import Account
from accord.crm_commerce.models import CustomerOwnAccount
from accord.crm_commerce.services import lifetime
from accord.crm_commerce.services._common import (
    ROOT,
    SOURCE,
    accounts_create,
    accounts_reindex,
    chunked,
    commerce_channels,
    current_strategy,
    existing_accounts,
    hub_rows,
    hub_rows_create,
    links_of,
    not_linked,
    own_accounts_remember,
)
from accord.platform.errors import ValidationFailed

_given_account: ContextVar[Account | None] = ContextVar("crm_commerce_given_account", default=None)
CUSTOMER_FIELDS = ("id", "name", "root_id", "owner_id", "business_unit_id", "organization_id")


@contextmanager
def account_given(account: Account | None) -> Iterator[None]:
    """Customers created inside the block are linked to `account`, whatever the strategy (oro-spec #21)."""
    token = _given_account.set(account)
    try:
        yield
    finally:
        _given_account.reset(token)


def customers_link(*, customer_ids: Iterable[int], actor: Any, strategy: str | None = None) -> dict[int, int]:
    """Link each given customer that has no account yet, set-based; returns {customer id: account id}."""
    strategy = strategy or current_strategy()
    ids = list(set(customer_ids))
    todo: dict[int, Customer] = {}
    for chunk in chunked(ids):
        rows = Customer.objects.filter(pk__in=chunk).filter(not_linked())
        todo.update((c.pk, c) for c in rows.only(*CUSTOMER_FIELDS))
    if not todo:
        return {}
    root_links: dict[int, int] = {}
    if strategy == ROOT:
        root_ids = {c.root_id for c in todo.values() if c.root_id and c.root_id != c.pk}
        root_links = links_of(root_ids)
        unlinked_roots = root_ids - set(root_links) - set(todo)
        for chunk in chunked(unlinked_roots):
            todo.update((c.pk, c) for c in Customer.objects.filter(pk__in=chunk).only(*CUSTOMER_FIELDS))
        new_for = [c for c in todo.values() if c.root_id in (None, c.pk)]
    else:
        new_for = list(todo.values())
    links = accounts_create(sorted(new_for, key=lambda c: c.pk), actor=actor, index=False)
    for customer in todo.values():
        if customer.pk not in links:
            root_id = customer.root_id or customer.pk
            links[customer.pk] = root_links.get(root_id) or links[root_id]
    channels = commerce_channels({c.organization_id for c in todo.values()})
    hub_rows_create(links, channels, {c.pk: c.organization_id for c in todo.values()})
    if any(lifetime.stored_values(links).values()):  # customers without money add nothing to a figure
        lifetime.accounts_refresh(set(links.values()))
    accounts_reindex(links.values())  # their documents carry the customers' names
    return links


def customer_link_to(*, customer_id: int, account: Account, actor: Any) -> None:
    """Link one customer to a chosen account (a move when it is linked elsewhere)."""
    from accord.crm.models import Channel
    from accord.crm.services.associations import customer_association_link

    organization_id = Customer.objects.values_list("organization_id", flat=True).get(pk=customer_id)
    if account.organization_id != organization_id:
        raise ValidationFailed({"account_id": "The account belongs to another organization."})
    channel = Channel.objects.get(pk=commerce_channels([organization_id])[organization_id])
    customer_association_link(
        source_type=SOURCE, source_id=customer_id, account=account, channel=channel, actor=actor
    )


def customer_account_set(*, customer: Customer, account: Account | None, actor: Any) -> None:
    """The console form and the API move a customer to another account (oro-spec #22-#24): an account
    is required; under `each` it becomes the customer's own account."""
    if account is None:
        raise ValidationFailed({"account_id": "An account is required."})
    with transaction.atomic():
        customer_link_to(customer_id=customer.pk, account=account, actor=actor)
        if current_strategy() != ROOT or customer.root_id in (None, customer.pk):
            own_accounts_remember({customer.pk: account.pk})


# --- listeners of commerce's events ---------------------------------------------------------------


def on_customer_created(*, customer_id: int, actor_id: int | None = None, **event: Any) -> None:
    given = _given_account.get()
    actor = _actor(actor_id)
    if given is not None:
        customer_link_to(customer_id=customer_id, account=given, actor=actor)
        return
    customers_link(customer_ids=[customer_id], actor=actor)


def on_customers_bulk_created(*, customer_ids: list[int], actor_id: int | None = None, **event: Any) -> None:
    customers_link(customer_ids=customer_ids, actor=_actor(actor_id))


def on_customer_moved(
    *, customer_id: int, new_root_id: int, subtree_ids: list[int], actor_id: int | None = None, **event: Any
) -> None:
    """Under `root` the subtree follows its new root's account (its own one when it became a root)."""
    actor = _actor(actor_id)
    if current_strategy() != ROOT:
        customers_link(customer_ids=subtree_ids, actor=actor)
        return
    if new_root_id == customer_id:
        target = _own_or_new_account(customer_id, actor=actor)
    else:
        customers_link(customer_ids=[new_root_id], actor=actor)
        target = links_of([new_root_id])[new_root_id]
    subtree_relink(subtree_ids=subtree_ids, account_id=target, actor=actor)


def on_customer_deleted(
    *, customer_id: int, former_children_ids: list[int], actor_id: int | None = None, **event: Any
) -> None:
    """The account stays; what hung off the customer's hub row (opportunities, leads) moves to the
    account's own row (oro-spec #38). Under `root` each former child's subtree gets its own account."""
    from accord.crm.services.associations import customer_association_unlink

    actor = _actor(actor_id)
    _keep_dependents(customer_id)
    customer_association_unlink(source_type=SOURCE, source_id=customer_id, actor=actor)
    if current_strategy() != ROOT:
        return
    for child_id in former_children_ids:
        target = _own_or_new_account(child_id, actor=actor)
        subtree = list(Customer.objects.filter(root_id=child_id).values_list("pk", flat=True))
        subtree_relink(subtree_ids=subtree, account_id=target, actor=actor)


def _keep_dependents(customer_id: int) -> None:
    """Move opportunities and leads of the customer's hub row to the account's own row first.

    CRM's `move_dependents` looks for `many_to_one` reverse relations, which Django names
    `one_to_many`, so it moves nothing and opportunities would cascade away (reported to the CRM)."""
    from accord.crm.models import CustomerAssociation
    from accord.crm.services.associations import customer_association_for_account

    row = hub_rows().filter(source_id=customer_id).select_related("account").first()
    if row is None:
        return
    own = customer_association_for_account(account=row.account)
    for rel in CustomerAssociation._meta.related_objects:
        if rel.one_to_many:
            model: Any = rel.related_model
            model._default_manager.filter(**{rel.field.name: row.pk}).update(**{rel.field.name: own.pk})


def subtree_relink(*, subtree_ids: list[int], account_id: int, actor: Any) -> None:
    """Point the given customers at one account: one UPDATE for the linked, new hub rows for the others."""
    before = links_of(subtree_ids)
    for chunk in chunked(subtree_ids):
        hub_rows().filter(source_id__in=chunk).exclude(account_id=account_id).update(account_id=account_id)
    missing = [pk for pk in subtree_ids if pk not in before]
    for chunk in chunked(missing):
        orgs = dict(Customer.objects.filter(pk__in=chunk).values_list("pk", "organization_id"))
        channels = commerce_channels(set(orgs.values()))
        hub_rows_create(dict.fromkeys(orgs, account_id), channels, orgs)
    lifetime.accounts_refresh({account_id, *before.values()})
    accounts_reindex({account_id, *before.values()})


def roots_followed(*, customer_ids: Iterable[int], actor: Any) -> None:
    """Under `root`, put the hierarchies of the given customers back on their roots' accounts: an
    undone merge restores links as they were before it, which a strategy switch since may forbid."""
    if current_strategy() != ROOT:
        return
    roots: set[int] = set()
    for chunk in chunked(set(customer_ids)):
        roots.update(Customer.objects.filter(pk__in=chunk).values_list("root_id", flat=True))
    roots.discard(None)  # type: ignore[arg-type]
    targets = links_of(roots)
    members: dict[int, int] = {}
    for chunk in chunked(targets):
        members.update(Customer.objects.filter(root_id__in=chunk).values_list("pk", "root_id"))
    links = links_of(members)
    movers: dict[int, list[int]] = {}
    for pk, root_id in sorted(members.items()):
        if links.get(pk) != targets[root_id]:
            movers.setdefault(targets[root_id], []).append(pk)
    for account_id, subtree_ids in movers.items():
        subtree_relink(subtree_ids=subtree_ids, account_id=account_id, actor=actor)


def on_merge_undone(*, moved_links: Iterable[tuple[str, int]], actor_id: int | None = None) -> None:
    customers = [int(source_id) for source_type, source_id in moved_links if source_type == SOURCE]
    roots_followed(customer_ids=customers, actor=_actor(actor_id))


def _own_or_new_account(customer_id: int, *, actor: Any) -> int:
    """The customer's own account when it still exists, else a new one named after it."""
    own = (
        CustomerOwnAccount.objects.filter(customer_id=customer_id)
        .values_list("account_id", flat=True)
        .first()
    )
    if own and existing_accounts([own]):
        return own
    customer = Customer.objects.only(*CUSTOMER_FIELDS).get(pk=customer_id)
    return accounts_create([customer], actor=actor)[customer_id]


def _actor(actor_id: int | None) -> Any:
    if not actor_id:
        return None
    from accord.platform.models import User

    return User.objects.filter(pk=actor_id).first()
