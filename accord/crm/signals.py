"""Domain events the CRM announces; other apps (the bridge, connectors) listen here.

Sent synchronously inside the transaction of the service that made the change, like commerce's
events (decision 0030): listeners that keep derived data write in the same transaction.
The sender is the model class; the keyword arguments are listed with each event.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

account_deleted = Signal()
"""An account is being deleted (sent before the row goes, so listeners may still read it).

kwargs: account_id, organization_id, links (list[tuple[str, int]]: the (source_type, source_id) of
the customer records linked through the hub, which are now detached), actor_id.
"""

customer_association_changed = Signal()
"""A customer record was linked to an account, moved to another one, or unlinked.

kwargs: source_type (str), source_id (int), old_account_id (int | None), new_account_id
(int | None: None when unlinked), old_channel_id, new_channel_id, actor_id.
"""


def announce(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send an event now, inside the caller's transaction; a listener's exception rolls it back."""
    signal.send(sender=sender, **kwargs)


accounts_merged = Signal()
"""Accounts were merged into a master (the merged ones are deleted; their links moved to it).

kwargs: master_id, merged_ids (list[int]), moved_links (list[tuple[str, int]]: the
(source_type, source_id) of customer records moved to the master), merge_id, actor_id.
"""

merge_undone = Signal()
"""A merge was undone: the merged accounts are back, with their links.

kwargs: master_id, restored_ids (list[int]), moved_links (list[tuple[str, int]]), merge_id, actor_id.
"""
