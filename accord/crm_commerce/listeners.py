"""Receivers of commerce's and CRM's domain events (sent inside the writer's transaction)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accord.crm_commerce.services import lifetime, linking
from accord.crm_commerce.services._common import SOURCE, accounts_reindex
from accord.crm_commerce.services.lifetime import ZERO


def _clean(kwargs: dict[str, Any]) -> dict[str, Any]:
    kwargs.pop("signal", None)
    return kwargs


def customer_created(sender: Any, **kwargs: Any) -> None:
    linking.on_customer_created(**_clean(kwargs))


def customers_bulk_created(sender: Any, **kwargs: Any) -> None:
    linking.on_customers_bulk_created(**_clean(kwargs))


def customer_moved(sender: Any, **kwargs: Any) -> None:
    linking.on_customer_moved(**_clean(kwargs))


def customer_deleted(sender: Any, **kwargs: Any) -> None:
    linking.on_customer_deleted(**_clean(kwargs))


def order_payment_changed(
    sender: Any, *, customer_id: int, payment: Any = None, refund: Any = None, **kwargs: Any
) -> None:
    """A payment or refund moves the values by its base amount; a status change alone recomputes."""
    if payment is not None or refund is not None:
        delta = (payment.base_amount if payment is not None else ZERO) - (
            refund.base_amount if refund is not None else ZERO
        )
        lifetime.customer_money_added(customer_id, delta)
        return
    lifetime.customers_and_accounts_refresh([customer_id])


def order_cancelled(sender: Any, *, customer_id: int, **kwargs: Any) -> None:
    lifetime.customers_and_accounts_refresh([customer_id])


def order_deleted(sender: Any, *, order_id: int, customer_id: int, **kwargs: Any) -> None:
    """Sent before the order row goes: computed without it."""
    lifetime.customers_and_accounts_refresh([customer_id], exclude_order_id=order_id)


def order_moved(sender: Any, *, old_customer_id: int, new_customer_id: int, **kwargs: Any) -> None:
    lifetime.customers_and_accounts_refresh([old_customer_id, new_customer_id])


def hub_changed(
    sender: Any, *, source_type: str, old_account_id: Any, new_account_id: Any, **kwargs: Any
) -> None:
    """A commerce customer's link moved (explicitly, by a merge, ...): both accounts' figures follow."""
    if source_type == SOURCE:
        accounts = {old_account_id, new_account_id} - {None}
        lifetime.accounts_refresh(accounts)
        accounts_reindex(accounts)  # found by their customers' names


def orders_bulk_created(sender: Any, *, order_ids: list[int], **kwargs: Any) -> None:
    """Generated or imported orders: the customers' values move by the new orders' money, and their
    accounts' figures follow, set-based."""
    lifetime.orders_added(order_ids)


def accounts_merged(sender: Any, *, master_id: int, **kwargs: Any) -> None:
    """A merge moves hub rows without announcing each: the master's commerce figure now adds them."""
    lifetime.accounts_refresh({master_id})


def merge_undone(
    sender: Any,
    *,
    master_id: int,
    restored_ids: list[int],
    moved_links: Iterable[tuple[str, int]] = (),
    actor_id: int | None = None,
    **kwargs: Any,
) -> None:
    """The restored accounts take back their customers; under `root` a hierarchy stays on its root's
    account (the strategy may have changed since the merge)."""
    linking.on_merge_undone(moved_links=moved_links, actor_id=actor_id)
    lifetime.accounts_refresh({master_id, *restored_ids})
