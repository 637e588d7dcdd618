"""Domain events that commerce announces. Other apps (the CRM bridge, the storefront) listen here.

Every event is sent with `announce`, synchronously, inside the transaction of the service that
made the change (decision 0030). Why: the bridge keeps derived data (account links, lifetime
values) that must be right at every moment, so it writes in the same transaction as the change it
follows; a listener that fails rolls the whole write back, and a write that rolls back leaves
nothing behind, neither its own rows nor the listeners'. Listeners with effects outside the
database (mail, webhooks) wrap that work in `transaction.on_commit` themselves.

The sender is always the model class; the keyword arguments each event provides are listed below.
`actor_id` is the console user who acted, None for the system or a customer user (storefront).
Money amounts are `Decimal`s in the order's currency.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

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

customers_bulk_created = Signal()
"""Many customers were created at once (an import, generated data): one event for the batch.

kwargs: customer_ids (list[int], parents before their children), entry_point (str, as for
`customer_created`), actor_id.
"""

order_placed = Signal()
"""An order was created (back office, API, demo, or by accepting a quote on the storefront).

kwargs: order_id, customer_id, customer_user_id (int | None), identifier (str), currency (str),
subtotal, discount, total, base_rate (Decimal: base-currency units per unit of `currency` when
placed), base_subtotal (Decimal), payment_status (str), source_quote_id (int | None),
entry_point (str: "console", "api", "storefront", "demo", "quote"), actor_id.
"""

orders_bulk_created = Signal()
"""Many orders were created at once (generated data, imports): one event for the batch, instead of
`order_placed` per order; listeners recompute what depends on them set-based.

kwargs: order_ids (list[int]), customer_ids (list[int]: distinct, sorted), entry_point (str),
actor_id.
"""

order_payment_changed = Signal()
"""A payment or refund was recorded, or the payment status changed otherwise (a cancellation).

kwargs: order_id, customer_id, old_status (str), new_status (str: may equal old_status when a
payment does not change it), paid_amount and refunded_amount (Decimal: the new totals), currency,
subtotal, base_subtotal, base_rate, payment (OrderPayment | None: the row just recorded),
refund (OrderRefund | None: the row just recorded), actor_id.
"""

order_cancelled = Signal()
"""An order was cancelled (internal status `cancelled`).

kwargs: order_id, customer_id, old_internal_status (str), payment_status (str: after the
cancellation), actor_id.
"""

order_deleted = Signal()
"""An order was deleted (sent before the row goes, so listeners may still read it).

kwargs: order_id, customer_id, identifier, currency, subtotal, base_subtotal, payment_status,
paid_amount, refunded_amount, actor_id.
"""

order_moved = Signal()
"""An order was moved to another customer.

kwargs: order_id, old_customer_id, new_customer_id, old_customer_user_id (int | None),
new_customer_user_id (int | None: None when the old one does not belong to the new customer),
payment_status, currency, subtotal, base_subtotal, actor_id.
"""


def announce(signal: Signal, sender: Any, **kwargs: Any) -> None:
    """Send an event now, inside the caller's transaction; a listener's exception rolls it back."""
    signal.send(sender=sender, **kwargs)
