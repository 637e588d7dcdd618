"""Bulk creation of customers and customer users: same rules and derived data, a few statements."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.commerce import signals
from accord.commerce.models import Customer, CustomerUser, EntryPoint
from accord.commerce.services.bulk import customer_users_bulk_create, customers_bulk_create
from accord.commerce.tests.conftest import assert_tree_consistent
from accord.platform.errors import ValidationFailed
from accord.platform.models import AuditEntry, SearchEntry


def _rows(n_roots: int) -> list[dict]:
    """Each root with a chain of 3 below it and a second child."""
    rows: list[dict] = []
    for r in range(n_roots):
        root = len(rows)
        rows.append({"name": f"Root {r}", "parent": None})
        rows.append({"name": f"Root {r} child", "parent": root})
        rows.append({"name": f"Root {r} grandchild", "parent": root + 1})
        rows.append({"name": f"Root {r} great-grandchild", "parent": root + 2})
        rows.append({"name": f"Root {r} second child", "parent": root})
    return rows


def test_bulk_customers_get_the_path_root_and_depth_a_walk_gives(admin) -> None:
    customers = customers_bulk_create(rows=_rows(3), owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)

    assert [c.name for c in customers][:2] == ["Root 0", "Root 0 child"]
    assert customers[3].depth == 3
    assert customers[3].root_id == customers[0].pk
    assert customers[3].path == f"/{customers[0].pk}/{customers[1].pk}/{customers[2].pk}/{customers[3].pk}/"
    assert_tree_consistent()
    assert AuditEntry.objects.filter(entity="commerce.customer", action="create").count() == 15
    assert SearchEntry.objects.filter(entity="commerce.customer").count() == 15


def test_bulk_customers_are_announced_once_with_every_id(admin) -> None:
    heard = []

    def listen(sender, **kwargs):
        heard.append(kwargs)

    signals.customers_bulk_created.connect(listen)
    try:
        customers = customers_bulk_create(rows=_rows(2), owner=admin, entry_point=EntryPoint.DEMO, actor=None)
    finally:
        signals.customers_bulk_created.disconnect(listen)

    assert len(heard) == 1
    assert heard[0]["customer_ids"] == [c.pk for c in customers]
    assert heard[0]["entry_point"] == "demo"


def test_bulk_customers_statement_count_does_not_grow_with_the_rows(admin) -> None:
    with CaptureQueriesContext(connection) as small:
        customers_bulk_create(rows=_rows(2), owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)
    with CaptureQueriesContext(connection) as large:
        customers_bulk_create(rows=_rows(40), owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)

    # 20x the rows: only the INSERT batching (SQLite's parameter limit) adds statements.
    assert len(large) < len(small) + 10


def test_a_parent_that_is_not_an_earlier_row_is_refused_and_nothing_written(admin) -> None:
    rows = [{"name": "A", "parent": None}, {"name": "B", "parent": 2}, {"name": "C", "parent": 1}]

    with pytest.raises(ValidationFailed) as error:
        customers_bulk_create(rows=rows, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin)

    assert error.value.field_errors == {"rows[1].parent": ["The parent must be an earlier row."]}
    assert not Customer.objects.exists()


def test_bulk_customer_users_get_their_roles_and_unique_emails(admin, make_customer, buyer_role) -> None:
    acme = make_customer("Acme")
    rows = [
        {
            "email": f"Buyer{n}@Acme.test",
            "first_name": "B",
            "last_name": f"{n}",
            "customer": acme,
            "roles": [buyer_role],
        }
        for n in range(5)
    ]

    users = customer_users_bulk_create(
        rows=rows, password=None, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin
    )

    assert {u.email_lower for u in users} == {f"buyer{n}@acme.test" for n in range(5)}
    assert all(list(u.roles.all()) == [buyer_role] for u in CustomerUser.objects.all())
    assert not any(u.check_password("") for u in CustomerUser.objects.all())


def test_bulk_customer_users_refuse_taken_emails_case_insensitively(admin, make_customer, buyer_role) -> None:
    acme = make_customer("Acme")
    row = {
        "email": "ann@acme.test",
        "first_name": "Ann",
        "last_name": "A",
        "customer": acme,
        "roles": [buyer_role],
    }
    customer_users_bulk_create(
        rows=[row], password=None, owner=admin, entry_point=EntryPoint.IMPORT, actor=admin
    )

    with pytest.raises(ValidationFailed) as error:
        customer_users_bulk_create(
            rows=[{**row, "email": "ANN@acme.test"}, {**row, "email": "bob@acme.test", "roles": []}],
            password=None,
            owner=admin,
            entry_point=EntryPoint.IMPORT,
            actor=admin,
        )

    assert set(error.value.field_errors) == {"rows[0].email", "rows[1].role_ids"}
    assert CustomerUser.objects.count() == 1
