"""Bulk creation of shopping lists, RFQs and quotes (generated data, imports) in a few statements
per batch.

The rules are those of the single services (`shopping_list_create` and `shopping_list_item_add`,
`rfq_submit`, `quote_create_from_rfq`, `quote_accept`): rows are validated first (field errors
under "rows.<n>."), then written with set-based INSERTs and UPDATEs. A quote made from an RFQ marks
the RFQ quoted; an accepted quote is made from an existing order (its lines, prices and currency),
which then names it as its source; both changes are audited like the creations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from accord.commerce.models import (
    Customer,
    InternalStatus,
    Order,
    OrderLine,
    Product,
    Quote,
    QuoteLine,
    QuoteStatus,
    Rfq,
    RfqLine,
    RfqStatus,
    ShoppingList,
    ShoppingListLine,
)
from accord.commerce.services._common import audit_actor, clean_name
from accord.commerce.services._documents import assign_owner, check_product, clean_quantity
from accord.platform import audit, money
from accord.platform.errors import ValidationFailed
from accord.platform.models import AuditEntry, User
from accord.platform.rows import instances_insert

BATCH = 1000
Rows = Sequence[Mapping[str, Any]]


def _customers(ids: set[int]) -> dict[int, Customer]:
    return Customer.objects.in_bulk(sorted(ids))


def _chunked_filter(model: type[models.Model], field: str, ids: list[int]) -> list[Any]:
    found: list[Any] = []
    manager: Any = model._default_manager
    for start in range(0, len(ids), BATCH):
        found.extend(manager.filter(**{f"{field}__in": ids[start : start + BATCH]}).order_by("id"))
    return found


def _audit_updates(instances: Sequence[models.Model], entity: str, field: str, old: Any, actor: Any) -> None:
    """One "updated" entry per record whose `field` went from `old` to its current value."""
    who = audit_actor(actor)
    now, label = timezone.now(), str(who or "System")[:255]
    instances_insert(
        [
            AuditEntry(
                entity=entity,
                object_id=str(instance.pk),
                object_repr=str(instance)[:255],
                action=AuditEntry.Action.UPDATE,
                actor=who if isinstance(who, User) else None,
                actor_label=label,
                at=now,
                changes={field: {"old": old, "new": instance.serializable_value(field)}},
            )
            for instance in instances
        ]
    )


def _list_lines(row: Mapping[str, Any], index: int, organization_id: int) -> list[ShoppingListLine]:
    """One line per product (a product given twice adds up, as `shopping_list_item_add` does)."""
    merged: dict[int, ShoppingListLine] = {}
    for n, line in enumerate(row.get("lines") or []):
        field = f"rows.{index}.lines.{n}"
        product = check_product(line.get("product"), organization_id, f"{field}.product_id")
        quantity = clean_quantity(line.get("quantity"), f"{field}.quantity")
        if product.pk in merged:
            merged[product.pk].quantity += quantity
        else:
            merged[product.pk] = ShoppingListLine(product=product, quantity=quantity)
    return list(merged.values())


def shopping_lists_bulk_create(*, rows: Rows, actor: Any, owner: User | None = None) -> list[ShoppingList]:
    """Shopping lists with their lines. Rows: customer_user, name, lines [{product, quantity}]."""
    users = [row.get("customer_user") for row in rows]
    customers = _customers({u.customer_id for u in users if u is not None})
    built = []
    for n, (row, user) in enumerate(zip(rows, users, strict=True)):
        if user is None:
            raise ValidationFailed({f"rows.{n}.customer_user_id": "A customer user is required."})
        customer = customers[user.customer_id]
        shopping_list = ShoppingList(
            name=clean_name(row.get("name"), field=f"rows.{n}.name"), customer=customer, customer_user=user
        )
        assign_owner(shopping_list, customer=customer, actor=actor, owner=owner)
        built.append((shopping_list, _list_lines(row, n, customer.organization_id)))
    lists = [shopping_list for shopping_list, _ in built]
    with transaction.atomic():
        instances_insert(lists)
        for shopping_list, lines in built:
            for line in lines:
                line.shopping_list = shopping_list
        instances_insert([line for _, lines in built for line in lines])
        audit.record_bulk_create(instances=lists, actor=audit_actor(actor))
    return lists


def rfqs_bulk_create(*, rows: Rows, actor: Any, owner: User | None = None) -> list[Rfq]:
    """RFQs on shopping lists' lines (copied), in the name of each list's owner. Rows: shopping_list,
    po_number?, note?, status? ("submitted" or "cancelled"; quoting an RFQ is `quotes_bulk_create`'s)."""
    lists: list[ShoppingList] = []
    for n, row in enumerate(rows):
        if row.get("shopping_list") is None:
            raise ValidationFailed({f"rows.{n}.shopping_list_id": "A shopping list is required."})
        lists.append(row["shopping_list"])
    lines: dict[int, list[ShoppingListLine]] = defaultdict(list)
    for line in _chunked_filter(ShoppingListLine, "shopping_list_id", sorted({s.pk for s in lists})):
        lines[line.shopping_list_id].append(line)
    wanted = sorted({line.product_id for group in lines.values() for line in group})
    products = {p.pk: p for p in _chunked_filter(Product, "id", wanted)}
    customers = _customers({s.customer_id for s in lists})
    rfqs, rfq_lines = [], []
    for n, (row, shopping_list) in enumerate(zip(rows, lists, strict=True)):
        status = row.get("status") or RfqStatus.SUBMITTED
        if status not in (RfqStatus.SUBMITTED, RfqStatus.CANCELLED):
            raise ValidationFailed({f"rows.{n}.status": "Choose submitted or cancelled."})
        if not lines[shopping_list.pk]:
            raise ValidationFailed({f"rows.{n}.shopping_list_id": "The shopping list is empty."})
        customer = customers[shopping_list.customer_id]
        po_number = str(row.get("po_number") or "").strip()
        if len(po_number) > 255:
            raise ValidationFailed({f"rows.{n}.po_number": "At most 255 characters."})
        rfq = Rfq(
            customer=customer,
            customer_user_id=shopping_list.customer_user_id,
            shopping_list=shopping_list,
            po_number=po_number,
            note=str(row.get("note") or "").strip(),
            status=status,
        )
        assign_owner(rfq, customer=customer, actor=actor, owner=owner)
        rfqs.append(rfq)
        for k, line in enumerate(lines[shopping_list.pk]):
            product = check_product(
                products[line.product_id], customer.organization_id, f"rows.{n}.lines.{k}"
            )
            rfq_lines.append(
                RfqLine(
                    rfq=rfq,
                    product=product,
                    sku=product.sku,
                    name=product.name,
                    quantity=line.quantity,
                    target_price=product.unit_price,
                    currency=product.currency,
                )
            )
    with transaction.atomic():
        instances_insert(rfqs)
        instances_insert(rfq_lines)
        audit.record_bulk_create(instances=rfqs, actor=audit_actor(actor))
    return rfqs


def _rfq_quote(
    row: Mapping[str, Any], n: int, rfq: Rfq, lines: list[RfqLine], today: dt.date
) -> tuple[Quote, list[QuoteLine]]:
    """A quote at the RFQ's target prices (in their one currency, else the base currency)."""
    status = row.get("status") or QuoteStatus.SENT
    if status not in (QuoteStatus.DRAFT, QuoteStatus.SENT, QuoteStatus.EXPIRED):
        raise ValidationFailed({f"rows.{n}.status": "Choose draft, sent or expired."})
    valid_until = row.get("valid_until")
    if status != QuoteStatus.EXPIRED and valid_until is not None and valid_until < today:
        raise ValidationFailed({f"rows.{n}.valid_until": "The last valid day cannot be in the past."})
    if rfq.status == RfqStatus.CANCELLED:
        raise ValidationFailed({f"rows.{n}.rfq_id": "This RFQ is cancelled."})
    if not lines:
        raise ValidationFailed({f"rows.{n}.rfq_id": "This RFQ has no lines."})
    currencies = {line.currency for line in lines if line.currency}
    currency = currencies.pop() if len(currencies) == 1 else money.base_currency()
    prices = {line.pk: line.target_price for line in lines if line.currency == currency}
    if any(prices.get(line.pk) is None for line in lines):
        raise ValidationFailed({f"rows.{n}.rfq_id": f"Every line needs a target price in {currency}."})
    quote = Quote(rfq=rfq, po_number=rfq.po_number, currency=currency, status=status, valid_until=valid_until)
    return quote, [
        QuoteLine(
            rfq_line=line,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=prices[line.pk] or Decimal(0),
        )
        for line in lines
    ]


def _order_quote(
    row: Mapping[str, Any], n: int, order: Order, lines: list[OrderLine]
) -> tuple[Quote, list[QuoteLine]]:
    """The accepted quote behind an existing order: its lines, prices, currency and owner."""
    if order.source_quote_id is not None:
        raise ValidationFailed({f"rows.{n}.order_id": "This order already comes from a quote."})
    if order.internal_status == InternalStatus.CANCELLED:
        raise ValidationFailed({f"rows.{n}.order_id": "This order is cancelled."})
    quote = Quote(
        po_number=order.po_number,
        currency=order.currency,
        status=QuoteStatus.ACCEPTED,
        accepted_at=row.get("accepted_at") or timezone.now(),
        owner_id=order.owner_id,
        business_unit_id=order.business_unit_id,
        organization_id=order.organization_id,
    )
    return quote, [
        QuoteLine(
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in lines
    ]


def _lines_of(model: type[models.Model], field: str, parents: list[Any]) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for line in _chunked_filter(model, field, sorted({p.pk for p in parents})):
        found[getattr(line, field)].append(line)
    return found


def quotes_bulk_create(*, rows: Rows, actor: Any, owner: User | None = None) -> list[Quote]:
    """Quotes. Rows: {rfq, status? (draft, sent, expired), valid_until?} quote an RFQ at its target
    prices and mark it quoted; {order, accepted_at?} record the accepted quote an order came from."""
    rfqs = [row["rfq"] for row in rows if row.get("rfq") is not None]
    orders = [row["order"] for row in rows if row.get("order") is not None]
    rfq_lines, order_lines = _lines_of(RfqLine, "rfq_id", rfqs), _lines_of(OrderLine, "order_id", orders)
    customers = _customers({d.customer_id for d in [*rfqs, *orders]})
    today, built = timezone.localdate(), []
    for n, row in enumerate(rows):
        source = row.get("rfq") or row.get("order")
        if source is None or (row.get("rfq") is not None and row.get("order") is not None):
            raise ValidationFailed({f"rows.{n}.rfq_id": "Give the RFQ or the accepted order, not both."})
        if isinstance(source, Rfq):
            quote, lines = _rfq_quote(row, n, source, rfq_lines[source.pk], today)
            assign_owner(quote, customer=customers[source.customer_id], actor=actor, owner=owner)
        else:
            quote, lines = _order_quote(row, n, source, order_lines[source.pk])
        quote.customer = customers[source.customer_id]
        quote.customer_user_id = source.customer_user_id
        quote.created_by = actor if isinstance(actor, User) else None
        quote.subtotal = sum((line.total for line in lines), Decimal("0"))
        built.append((quote, lines))
    quotes = [quote for quote, _ in built]
    with transaction.atomic():
        instances_insert(quotes)
        for quote, lines in built:
            for line in lines:
                line.quote = quote
        instances_insert([line for _, lines in built for line in lines])
        audit.record_bulk_create(instances=quotes, actor=audit_actor(actor))
        _mark_sources(rows, quotes, actor)
    return quotes


def _mark_sources(rows: Rows, quotes: list[Quote], actor: Any) -> None:
    """RFQs become quoted and orders name their quote: one UPDATE per batch each, audited."""
    quoted = {}
    accepted = []
    for row, quote in zip(rows, quotes, strict=True):
        if row.get("rfq") is not None and row["rfq"].status != RfqStatus.QUOTED:
            quoted[row["rfq"].pk] = row["rfq"]
        elif row.get("order") is not None:
            row["order"].source_quote = quote
            accepted.append(row["order"])
    changed = list(quoted.values())
    old = {rfq.pk: rfq.status for rfq in changed}
    for start in range(0, len(changed), BATCH):
        Rfq.objects.filter(pk__in=[r.pk for r in changed[start : start + BATCH]]).update(
            status=RfqStatus.QUOTED, updated_at=timezone.now()
        )
    for status in sorted(set(old.values())):
        group = [rfq for rfq in changed if old[rfq.pk] == status]
        for rfq in group:
            rfq.status = RfqStatus.QUOTED
        _audit_updates(group, "commerce.rfq", "status", status, actor)
    Order.objects.bulk_update(accepted, ["source_quote"], batch_size=BATCH)
    _audit_updates(accepted, "commerce.order", "source_quote", None, actor)
