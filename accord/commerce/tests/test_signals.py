"""Domain events are sent inside the writing transaction (decision 0030), with their documented
kwargs: a failing listener rolls the write back, and a rolled-back write leaves nothing."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction

from accord.commerce import signals
from accord.commerce.models import Customer, CustomerUser, EntryPoint
from accord.commerce.services.customers import customer_delete, customer_move
from accord.platform.models import AuditEntry, SearchEntry


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


@contextmanager
def failing(signal):
    def broken(sender, **kwargs):
        raise RuntimeError("listener bug")

    signal.connect(broken, weak=False)
    try:
        yield
    finally:
        signal.disconnect(broken)


class Boom(Exception):
    pass


def rolled_back(write):
    """Run a write inside a transaction that then fails."""
    with transaction.atomic():
        write()
        raise Boom


def test_customer_created_is_sent_inside_the_transaction(
    make_customer, admin, django_capture_on_commit_callbacks
):
    seen_in_db = []

    def receiver(sender, customer_id, **kwargs):
        seen_in_db.append(
            (Customer.objects.filter(pk=customer_id).exists(), transaction.get_connection().in_atomic_block)
        )

    signals.customer_created.connect(receiver, weak=False)
    try:
        with listening(signals.customer_created) as heard, django_capture_on_commit_callbacks() as callbacks:
            root = make_customer("Root", entry_point=EntryPoint.API)
    finally:
        signals.customer_created.disconnect(receiver)
    assert callbacks == []  # nothing waits for the commit
    assert seen_in_db == [(True, True)]
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


def test_a_rolled_back_write_leaves_nothing(make_customer):
    with listening(signals.customer_created) as heard, pytest.raises(Boom):
        rolled_back(lambda: make_customer("Gone"))
    assert len(heard) == 1  # heard inside the transaction...
    assert not Customer.objects.filter(name="Gone").exists()  # ...which left nothing
    assert not AuditEntry.objects.filter(entity="commerce.customer").exists()


def test_a_failing_listener_rolls_the_write_back(make_customer, admin):
    with failing(signals.customer_created), pytest.raises(RuntimeError, match="listener bug"):
        make_customer("Never")
    assert not Customer.objects.filter(name="Never").exists()
    assert not AuditEntry.objects.filter(entity="commerce.customer").exists()
    assert not SearchEntry.objects.filter(entity="commerce.customer").exists()


def test_a_failing_move_listener_keeps_the_old_parent(make_customer, admin):
    a, b = make_customer("A"), make_customer("B")
    child = make_customer("Child", a)
    with failing(signals.customer_moved), pytest.raises(RuntimeError):
        customer_move(customer=child, parent=b, actor=admin)
    child.refresh_from_db()
    assert (child.parent_id, child.root_id, child.path) == (a.pk, a.pk, f"/{a.pk}/{child.pk}/")


def test_customer_moved_carries_old_and_new_parent_and_subtree(make_customer, admin):
    a, b = make_customer("A"), make_customer("B")
    child = make_customer("Child", a)
    grandchild = make_customer("Grandchild", child)
    with listening(signals.customer_moved) as heard:
        customer_move(customer=child, parent=b, actor=admin)
    assert len(heard) == 1
    event = heard[0]
    assert (event["customer_id"], event["old_parent_id"], event["new_parent_id"]) == (child.pk, a.pk, b.pk)
    assert (event["old_root_id"], event["new_root_id"]) == (a.pk, b.pk)
    assert event["subtree_ids"] == [child.pk, grandchild.pk]
    assert event["actor_id"] == admin.pk


def test_no_move_event_when_the_parent_does_not_change(make_customer, admin):
    a = make_customer("A")
    child = make_customer("Child", a)
    with listening(signals.customer_moved) as heard:
        customer_move(customer=child, parent=a, actor=admin)
    assert heard == []


def test_customer_deleted_lists_the_former_children(make_customer, admin):
    root = make_customer("Root")
    kids = [make_customer("K1", root), make_customer("K2", root)]
    with listening(signals.customer_deleted) as heard:
        customer_delete(customer=root, actor=admin)
    assert len(heard) == 1
    assert heard[0]["customer_id"] == root.pk
    assert heard[0]["former_children_ids"] == [k.pk for k in kids]
    assert (heard[0]["parent_id"], heard[0]["root_id"], heard[0]["name"]) == (None, root.pk, "Root")


def test_a_failing_delete_listener_keeps_the_customer_and_its_children(make_customer, admin):
    root = make_customer("Root")
    kid = make_customer("Kid", root)
    with failing(signals.customer_deleted), pytest.raises(RuntimeError):
        customer_delete(customer=root, actor=admin)
    kid.refresh_from_db()
    assert Customer.objects.filter(pk=root.pk).exists()
    assert (kid.parent_id, kid.root_id) == (root.pk, root.pk)


def test_customer_user_registered(make_customer, make_customer_user):
    customer = make_customer("Acme")
    with listening(signals.customer_user_registered) as heard:
        user = make_customer_user(customer, entry_point=EntryPoint.REGISTRATION)
    assert len(heard) == 1
    assert heard[0]["customer_user_id"] == user.pk
    assert heard[0]["customer_id"] == customer.pk
    assert heard[0]["entry_point"] == "registration"
    with failing(signals.customer_user_registered), pytest.raises(RuntimeError):
        make_customer_user(customer, email="never@example.com")
    assert not CustomerUser.objects.filter(email="never@example.com").exists()
