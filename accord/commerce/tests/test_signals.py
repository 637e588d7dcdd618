"""Domain events are sent after commit, with their documented kwargs, and never on rollback."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction

from accord.commerce import signals
from accord.commerce.models import EntryPoint
from accord.commerce.services.customers import customer_delete, customer_move


@contextmanager
def listening(signal):
    heard: list[dict] = []

    def receiver(sender, **kwargs):
        heard.append(kwargs)

    signal.connect(receiver, weak=False)
    try:
        yield heard
    finally:
        signal.disconnect(receiver)


class Boom(Exception):
    pass


def rolled_back(write):
    """Run a write inside a transaction that then fails."""
    with transaction.atomic():
        write()
        raise Boom


def test_customer_created_after_commit(make_customer, admin, django_capture_on_commit_callbacks):
    with listening(signals.customer_created) as heard:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            root = make_customer("Root", entry_point=EntryPoint.API)
            assert heard == []  # not before the commit
        assert len(callbacks) == 1
    assert heard == [
        {
            "signal": signals.customer_created,
            "customer_id": root.pk,
            "parent_id": None,
            "root_id": root.pk,
            "entry_point": "api",
            "actor_id": admin.pk,
        }
    ]


def test_customer_created_not_sent_on_rollback(make_customer, django_capture_on_commit_callbacks):
    with (
        listening(signals.customer_created) as heard,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
    ):
        rolled_back(lambda: make_customer("Gone"))
    assert callbacks == []
    assert heard == []


def test_customer_moved_carries_old_and_new_parent_and_subtree(
    make_customer, admin, django_capture_on_commit_callbacks
):
    a, b = make_customer("A"), make_customer("B")
    child = make_customer("Child", a)
    grandchild = make_customer("Grandchild", child)
    with listening(signals.customer_moved) as heard:
        with django_capture_on_commit_callbacks(execute=True):
            customer_move(customer=child, parent=b, actor=admin)
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
            rolled_back(lambda: customer_move(customer=child, parent=a, actor=admin))
        assert callbacks == []
    assert len(heard) == 1
    event = heard[0]
    assert (event["customer_id"], event["old_parent_id"], event["new_parent_id"]) == (child.pk, a.pk, b.pk)
    assert (event["old_root_id"], event["new_root_id"]) == (a.pk, b.pk)
    assert event["subtree_ids"] == [child.pk, grandchild.pk]


def test_no_move_event_when_the_parent_does_not_change(
    make_customer, admin, django_capture_on_commit_callbacks
):
    a = make_customer("A")
    child = make_customer("Child", a)
    with listening(signals.customer_moved) as heard, django_capture_on_commit_callbacks(execute=True):
        customer_move(customer=child, parent=a, actor=admin)
    assert heard == []


def test_customer_deleted_lists_the_former_children(make_customer, admin, django_capture_on_commit_callbacks):
    root = make_customer("Root")
    kids = [make_customer("K1", root), make_customer("K2", root)]
    with listening(signals.customer_deleted) as heard:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
            rolled_back(lambda: customer_delete(customer=kids[0], actor=admin))
        assert callbacks == []
        assert heard == []
        with django_capture_on_commit_callbacks(execute=True):
            customer_delete(customer=root, actor=admin)
    assert len(heard) == 1
    assert heard[0]["customer_id"] == root.pk
    assert heard[0]["former_children_ids"] == [k.pk for k in kids]
    assert (heard[0]["parent_id"], heard[0]["root_id"], heard[0]["name"]) == (None, root.pk, "Root")


def test_customer_user_registered(make_customer, make_customer_user, django_capture_on_commit_callbacks):
    customer = make_customer("Acme")
    with listening(signals.customer_user_registered) as heard:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Boom):
            rolled_back(lambda: make_customer_user(customer))
        assert callbacks == []
        assert heard == []
        with django_capture_on_commit_callbacks(execute=True):
            user = make_customer_user(customer, entry_point=EntryPoint.REGISTRATION)
    assert len(heard) == 1
    assert heard[0]["customer_user_id"] == user.pk
    assert heard[0]["customer_id"] == customer.pk
    assert heard[0]["entry_point"] == "registration"


def test_a_failing_listener_does_not_break_the_committed_write(
    make_customer, django_capture_on_commit_callbacks, caplog
):
    def broken(sender, **kwargs):
        raise RuntimeError("listener bug")

    signals.customer_created.connect(broken, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            customer = make_customer("Still here")
    finally:
        signals.customer_created.disconnect(broken)
    assert customer.pk
    assert "listener of a commerce event failed" in caplog.text
