"""Domain events that commerce announces. Other apps (the CRM bridge, the storefront) listen here.

Every event is sent with `transaction.on_commit` by the service that made the change: a
listener only hears about what was committed, and nothing when the write rolled back. The
sender is always the model class; the keyword arguments each event provides are listed below.
A listener's exception is logged, never raised into the committed request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

customer_created = Signal()
"""A customer was created.

kwargs: customer_id (int), parent_id (int | None), root_id (int), entry_point (str: "console",
"api", "import", "registration" or "demo"), actor_id (int | None: the console user, None for the
system or a self-registration).
"""

customer_moved = Signal()
"""A customer (with its whole subtree) got another parent.

kwargs: customer_id, old_parent_id (int | None), new_parent_id (int | None), old_root_id (int),
new_root_id (int), subtree_ids (list[int]: the customer and all its descendants), actor_id.
"""

customer_deleted = Signal()
"""A customer was deleted; its children became roots (each the root of its own subtree).

kwargs: customer_id, parent_id (int | None: the deleted customer's parent), root_id (int: its
root before deletion), former_children_ids (list[int]: the new roots), name (str), actor_id.
"""

customer_user_registered = Signal()
"""A customer user was created (in the back office, through the API or by registration).

kwargs: customer_user_id, customer_id, entry_point (str, as for `customer_created`), actor_id.
"""


def send_on_commit(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Announce an event once the current transaction commits."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("A listener of a commerce event failed: %r", receiver, exc_info=result)

    transaction.on_commit(send)
