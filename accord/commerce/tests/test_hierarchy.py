"""Customer hierarchy: required name, no cycles (checklist 9), children become roots (10), moves."""

from __future__ import annotations

import pytest

from accord.commerce.models import Customer, EntryPoint
from accord.commerce.services.customers import customer_delete, customer_move, customer_update
from accord.commerce.services.groups import customer_group_create
from accord.commerce.tests.conftest import assert_tree_consistent
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import AuditEntry


@pytest.fixture
def family(make_customer):
    root = make_customer("Root")
    child = make_customer("Child", root)
    grandchild = make_customer("Grandchild", child)
    great = make_customer("Great-grandchild", grandchild)
    sibling = make_customer("Sibling", root)
    return root, child, grandchild, great, sibling


def test_customer_name_is_required_and_at_most_255(make_customer):
    for bad in ("", "   ", None):
        with pytest.raises(ValidationFailed) as exc:
            make_customer(bad)
        assert "name" in exc.value.field_errors
    with pytest.raises(ValidationFailed):
        make_customer("x" * 256)
    assert not Customer.objects.exists()


def test_stored_path_root_and_depth_follow_the_parents(family):
    root, child, grandchild, great, sibling = family
    great.refresh_from_db()
    assert great.path == f"/{root.pk}/{child.pk}/{grandchild.pk}/{great.pk}/"
    assert (great.root_id, great.depth) == (root.pk, 3)
    assert root.root_id == root.pk
    assert root.depth == 0
    subtree = set(Customer.objects.filter(path__startswith=child.path).values_list("pk", flat=True))
    assert subtree == {child.pk, grandchild.pk, great.pk}
    assert_tree_consistent()


@pytest.mark.parametrize("target", ["self", "child", "grandchild", "great"])
def test_a_customer_cannot_become_its_own_ancestor(family, admin, target):
    root, child, grandchild, great, _ = family
    new_parent = {"self": child, "child": grandchild, "grandchild": great, "great": great}[target]
    with pytest.raises(ValidationFailed) as exc:
        customer_move(customer=child, parent=new_parent, actor=admin)
    assert "parent_id" in exc.value.field_errors
    child.refresh_from_db()
    assert child.parent_id == root.pk
    assert_tree_consistent()


def test_a_root_cannot_be_placed_under_its_descendants(family, admin):
    root, *_rest, great, _sibling = family
    with pytest.raises(ValidationFailed):
        customer_update(customer=root, parent=great, actor=admin)
    with pytest.raises(ValidationFailed):
        customer_update(customer=root, parent=root, actor=admin)


def test_moving_a_customer_moves_its_whole_subtree(family, admin):
    root, child, grandchild, great, sibling = family
    customer_move(customer=child, parent=sibling, actor=admin)
    great.refresh_from_db()
    assert great.path == f"/{root.pk}/{sibling.pk}/{child.pk}/{grandchild.pk}/{great.pk}/"
    assert great.depth == 4
    customer_move(customer=grandchild, parent=None, actor=admin)
    great.refresh_from_db()
    assert (great.root_id, great.depth, great.path) == (grandchild.pk, 1, f"/{grandchild.pk}/{great.pk}/")
    assert_tree_consistent()
    entry = AuditEntry.objects.filter(entity="commerce.customer", object_id=str(grandchild.pk)).first()
    assert entry.changes["parent"] == {"old": child.pk, "new": None}


def test_a_move_runs_the_same_queries_whatever_the_subtree_size(
    make_customer, admin, django_assert_num_queries
):
    small, large, target = make_customer("Small"), make_customer("Large"), make_customer("Target")
    node = large
    for i in range(25):
        node = make_customer(f"L{i}", node if i % 2 else large)
    make_customer("S0", small)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_run:
        customer_move(customer=small, parent=target, actor=admin)
    with CaptureQueriesContext(connection) as large_run:
        customer_move(customer=large, parent=target, actor=admin)
    assert len(small_run.captured_queries) == len(large_run.captured_queries)
    assert_tree_consistent()


def test_deleting_a_parent_turns_its_children_into_roots(family, admin):
    root, child, grandchild, great, sibling = family
    customer_delete(customer=root, actor=admin)
    for record in (child, grandchild, great, sibling):
        record.refresh_from_db()
    assert child.parent_id is None
    assert sibling.parent_id is None
    assert (child.root_id, child.depth, child.path) == (child.pk, 0, f"/{child.pk}/")
    assert (great.root_id, great.depth) == (child.pk, 2)
    assert great.path == f"/{child.pk}/{grandchild.pk}/{great.pk}/"
    assert sibling.root_id == sibling.pk
    assert_tree_consistent()


def test_deleting_a_middle_customer_keeps_the_rest_under_their_roots(family, admin):
    root, child, grandchild, great, _ = family
    customer_delete(customer=child, actor=admin)
    great.refresh_from_db()
    assert (great.root_id, great.depth, great.path) == (grandchild.pk, 1, f"/{grandchild.pk}/{great.pk}/")
    assert_tree_consistent()


def test_a_customer_with_users_cannot_be_deleted(family, admin, make_customer_user):
    _, child, *_ = family
    make_customer_user(child)
    with pytest.raises(Conflict):
        customer_delete(customer=child, actor=admin)
    assert Customer.objects.filter(pk=child.pk).exists()


def test_payment_term_and_tax_code_default_from_the_group(make_customer, admin):
    group = customer_group_create(name="Wholesale", payment_term="net_30", tax_code="WH", actor=admin)
    customer = make_customer("Acme", group=group)
    assert (customer.payment_term, customer.tax_code) == ("net_30", "WH")
    explicit = make_customer("Beta", group=group, payment_term="prepaid")
    assert explicit.payment_term == "prepaid"
    with pytest.raises(ValidationFailed) as exc:
        make_customer("Gamma", payment_term="net_7")
    assert "payment_term" in exc.value.field_errors


def test_external_id_is_unique_and_empty_is_none(make_customer):
    make_customer("A", external_id="ext-1")
    with pytest.raises(ValidationFailed) as exc:
        make_customer("B", external_id="ext-1")
    assert "external_id" in exc.value.field_errors
    assert make_customer("C", external_id="  ").external_id is None
    assert make_customer("D", external_id="").external_id is None


def test_parent_from_another_organization_is_refused(make_customer, make_user, tree):
    other_admin = make_user("other-admin", unit=tree.other_main, roles=["administrator"])
    foreign = make_customer("Foreign", actor=other_admin)
    with pytest.raises(ValidationFailed) as exc:
        make_customer("Mine", foreign)
    assert "parent_id" in exc.value.field_errors


def test_unknown_entry_point_is_a_programming_error(make_customer):
    with pytest.raises(ValueError, match="Unknown entry point"):
        make_customer("X", entry_point="fax")
    assert EntryPoint.REGISTRATION == "registration"
