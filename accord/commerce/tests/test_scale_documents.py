"""Buyer documents in `accord demo --scale S` and the bulk services behind them: counts per unit of
scale, every status present, accepted quotes behind existing orders, the same data for the same
seed, field errors under the row's path with nothing written, statements growing by batch."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.commerce.models import (
    Order,
    Quote,
    QuoteStatus,
    Rfq,
    RfqLine,
    RfqStatus,
    ShoppingList,
    ShoppingListLine,
)
from accord.commerce.services.bulk_documents import (
    quotes_bulk_create,
    rfqs_bulk_create,
    shopping_lists_bulk_create,
)
from accord.commerce.services.quotes import rfq_cancel
from accord.platform.errors import ValidationFailed
from accord.platform.models import AuditEntry
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate

KEYS = ["platform", "commerce.customers", "commerce.customer_users", "commerce.orders", "commerce.documents"]


class _Undo(Exception):
    pass


def _digest() -> str:
    """A checksum of the generated documents, by content (ids differ between databases)."""
    parts: list[Any] = [
        list(ShoppingList.objects.order_by("id").values_list("name", "customer_user__email")),
        list(ShoppingListLine.objects.order_by("id").values_list("product__sku", "quantity")),
        list(Rfq.objects.order_by("id").values_list("po_number", "status", "customer__name")),
        list(Quote.objects.order_by("id").values_list("status", "currency", "subtotal", "valid_until")),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _generate_then_undo(seed: int) -> str:
    digest = ""
    try:
        with transaction.atomic():
            demo_generate(scale=0.01, seed=seed, progress=lambda *a: None, only=KEYS)
            digest = _digest()
            raise _Undo
    except _Undo:
        pass
    assert not Quote.objects.exists()
    return digest


@pytest.fixture
def generated(db: Any) -> dict[str, tuple[int, int]]:
    install_ensure()
    progress: dict[str, tuple[int, int]] = {}
    demo_generate(
        scale=0.01,
        seed=5,
        progress=lambda label, done, total: progress.update({label: (done, total)}),
        only=KEYS,
    )
    return progress


def test_counts_follow_the_scale_and_progress_is_reported(generated: dict[str, tuple[int, int]]) -> None:
    assert ShoppingList.objects.count() == 200  # 20,000 per unit
    assert Rfq.objects.count() == 50  # 5,000 per unit
    assert Quote.objects.count() == 50  # 5,000 per unit
    sizes = set(ShoppingList.objects.annotate(n=Count("lines")).values_list("n", flat=True))
    assert sizes == {1, 2, 3, 4}
    for label in ("shopping lists", "RFQs", "quotes"):
        done, total = generated[label]
        assert done == total > 0
    assert AuditEntry.objects.filter(entity="commerce.shopping_list", action="create").count() == 200


def test_every_status_is_present_and_quoted_rfqs_have_their_quote(generated: Any) -> None:
    assert set(Rfq.objects.values_list("status", flat=True)) == set(RfqStatus.values)
    assert {q.effective_status for q in Quote.objects.all()} == set(QuoteStatus.values)
    quoted = Rfq.objects.filter(status=RfqStatus.QUOTED)
    assert not quoted.filter(quotes__isnull=True).exists()
    assert not Rfq.objects.exclude(status=RfqStatus.QUOTED).filter(quotes__isnull=False).exists()
    assert AuditEntry.objects.filter(entity="commerce.rfq", action="update").count() == quoted.count()
    for rfq in Rfq.objects.prefetch_related("lines")[:10]:
        assert rfq.shopping_list is not None
        listed = {(line.product_id, line.quantity) for line in rfq.shopping_list.lines.all()}
        assert {(line.product_id, line.quantity) for line in rfq.lines.all()} == listed
        assert rfq.customer_user_id == rfq.shopping_list.customer_user_id


def test_accepted_quotes_are_behind_existing_orders(generated: Any) -> None:
    accepted = Quote.objects.filter(status=QuoteStatus.ACCEPTED).prefetch_related("lines", "orders__lines")
    assert accepted.count() == 15
    for quote in accepted:
        (order,) = quote.orders.all()
        assert (order.customer_id, order.customer_user_id, order.currency) == (
            quote.customer_id,
            quote.customer_user_id,
            quote.currency,
        )
        assert quote.subtotal == order.subtotal
        assert sorted((li.sku, li.quantity, li.unit_price) for li in quote.lines.all()) == sorted(
            (li.sku, li.quantity, li.unit_price) for li in order.lines.all()
        )
    assert Order.objects.filter(source_quote__isnull=False).count() == 15


def test_same_seed_same_documents_other_seed_other_documents(db: Any) -> None:
    install_ensure()
    first = _generate_then_undo(11)
    assert first == _generate_then_undo(11)
    assert first != _generate_then_undo(12)


# --- the bulk services ----------------------------------------------------------------------


def test_bulk_lists_refuse_a_disabled_product_and_write_nothing(buyer: Any, make_product: Any) -> None:
    from accord.commerce.models import ProductStatus

    good, off = make_product("5.00"), make_product("7.00")
    off.status = ProductStatus.DISABLED
    off.save()
    rows = [
        {"customer_user": buyer, "name": "Fine", "lines": [{"product": good, "quantity": 1}]},
        {
            "customer_user": buyer,
            "name": "Bad",
            "lines": [{"product": good, "quantity": 1}, {"product": off, "quantity": 2}],
        },
    ]
    with pytest.raises(ValidationFailed) as caught:
        shopping_lists_bulk_create(rows=rows, actor=None)
    assert set(caught.value.field_errors) == {"rows.1.lines.1.product_id"}
    with pytest.raises(ValidationFailed) as caught:
        shopping_lists_bulk_create(rows=[{"customer_user": buyer, "name": " ", "lines": []}], actor=None)
    assert set(caught.value.field_errors) == {"rows.0.name"}
    assert not ShoppingList.objects.exists()


def test_bulk_lists_add_up_a_product_given_twice(buyer: Any, make_product: Any) -> None:
    product = make_product("5.00")
    lines = [{"product": product, "quantity": 2}, {"product": product, "quantity": 3}]
    (shopping_list,) = shopping_lists_bulk_create(
        rows=[{"customer_user": buyer, "name": "L", "lines": lines}], actor=None
    )
    assert list(shopping_list.lines.values_list("quantity", flat=True)) == [5]
    assert shopping_list.owner_id == buyer.customer.owner_id


def test_bulk_quotes_refuse_cancelled_rfqs_quoted_orders_and_past_days(
    buyer: Any, make_product: Any, place_order: Any, admin: Any
) -> None:
    product = make_product("4.00")
    (lst,) = shopping_lists_bulk_create(
        rows=[{"customer_user": buyer, "name": "L", "lines": [{"product": product, "quantity": 2}]}],
        actor=None,
    )
    open_rfq, cancelled = rfqs_bulk_create(rows=[{"shopping_list": lst}, {"shopping_list": lst}], actor=None)
    rfq_cancel(rfq=cancelled, actor=admin)
    cancelled.refresh_from_db()
    order = place_order(buyer, "30.00")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    cases = [
        ([{"rfq": cancelled}], "rows.0.rfq_id"),
        ([{"rfq": open_rfq, "status": "sent", "valid_until": yesterday}], "rows.0.valid_until"),
        ([{"rfq": open_rfq, "status": "accepted"}], "rows.0.status"),
        ([{"rfq": open_rfq, "order": order}], "rows.0.rfq_id"),
    ]
    for rows, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            quotes_bulk_create(rows=rows, actor=admin)
        assert set(caught.value.field_errors) == {field}
    assert not Quote.objects.exists()
    (accepted,) = quotes_bulk_create(rows=[{"order": order}], actor=admin)
    order.refresh_from_db()
    assert order.source_quote_id == accepted.pk
    assert accepted.created_by == admin
    with pytest.raises(ValidationFailed) as caught:
        quotes_bulk_create(rows=[{"order": order}], actor=admin)
    assert set(caught.value.field_errors) == {"rows.0.order_id"}
    (quote,) = quotes_bulk_create(
        rows=[{"rfq": open_rfq, "status": "expired", "valid_until": yesterday}], actor=admin
    )
    open_rfq.refresh_from_db()
    assert open_rfq.status == RfqStatus.QUOTED
    assert quote.effective_status == QuoteStatus.EXPIRED
    assert list(quote.lines.values_list("unit_price", flat=True)) == [product.unit_price]
    assert RfqLine.objects.filter(rfq=open_rfq).count() == 1


def test_bulk_document_statements_grow_by_batches_not_by_rows(buyer: Any, make_product: Any) -> None:
    products = [make_product("3.00"), make_product("4.00")]

    def run(n: int) -> int:
        rows = [
            {
                "customer_user": buyer,
                "name": f"L{i}",
                "lines": [{"product": p, "quantity": 1} for p in products],
            }
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as queries:
            lists = shopping_lists_bulk_create(rows=rows, actor=None)
            rfqs = rfqs_bulk_create(rows=[{"shopping_list": s} for s in lists], actor=None)
            quotes_bulk_create(rows=[{"rfq": r} for r in rfqs], actor=None)
        return len(queries.captured_queries)

    assert run(80) <= run(3) + 6
