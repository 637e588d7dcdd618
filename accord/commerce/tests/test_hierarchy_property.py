"""Property: random create / reparent / delete sequences never create a cycle, and the stored
path, root and depth always equal a recursive walk of the parent links."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.commerce.models import Customer, EntryPoint
from accord.commerce.services.customers import customer_create, customer_delete, customer_move
from accord.commerce.tests.conftest import assert_tree_consistent, walk
from accord.platform.errors import ValidationFailed

OPS = st.lists(
    st.one_of(
        st.tuples(st.just("create"), st.integers(0, 30), st.booleans()),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(-1, 30)),
        st.tuples(st.just("delete"), st.integers(0, 30), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


def _apply(op: tuple[str, int, object], admin) -> None:
    kind, a, b = op
    ids = list(Customer.objects.order_by("pk").values_list("pk", flat=True))
    if kind == "create":
        parent = Customer.objects.get(pk=ids[a % len(ids)]) if ids and b else None
        customer_create(name=f"C{len(ids)}", parent=parent, entry_point=EntryPoint.API, actor=admin)
        return
    if not ids:
        return
    customer = Customer.objects.get(pk=ids[a % len(ids)])
    if kind == "delete":
        customer_delete(customer=customer, actor=admin)
        return
    assert isinstance(b, int)
    parent = None if b < 0 else Customer.objects.get(pk=ids[b % len(ids)])
    would_cycle = parent is not None and customer.pk in _ancestors_or_self(parent.pk)
    if would_cycle:
        with pytest.raises(ValidationFailed) as exc:
            customer_move(customer=customer, parent=parent, actor=admin)
        assert "parent_id" in exc.value.field_errors
    else:
        customer_move(customer=customer, parent=parent, actor=admin)


def _ancestors_or_self(pk: int) -> set[int]:
    path, _, _ = walk(pk)
    return {int(part) for part in path.strip("/").split("/")}


def test_random_hierarchy_changes_keep_the_stored_tree_right(admin):
    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )
    @given(ops=OPS)
    def run(ops):
        savepoint = transaction.savepoint()
        try:
            for op in ops:
                _apply(op, admin)
                assert_tree_consistent()
        finally:
            transaction.savepoint_rollback(savepoint)

    run()
