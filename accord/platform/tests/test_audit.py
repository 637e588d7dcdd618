"""Audit history: who changed what, with old and new values, in the API and on view pages."""

from __future__ import annotations

import pytest

from accord.platform.errors import Conflict
from accord.platform.models import AuditEntry, Role
from accord.platform.services.organization import (
    business_unit_create,
    business_unit_delete,
    business_unit_update,
)
from accord.platform.services.roles import role_create, role_delete, role_update
from accord.platform.services.users import user_create, user_delete, user_update

PASSWORD = "a-long-enough-password-42"


def _entries(entity: str, pk: int, *, by_people: bool = True) -> list[AuditEntry]:
    """The entries of a record, oldest first; by default without the fixtures' own (actor-less) ones."""
    entries = AuditEntry.objects.filter(entity=entity, object_id=str(pk)).order_by("id")
    if by_people:
        entries = entries.exclude(actor_label="System")
    return list(entries)


def test_creating_a_user_records_every_set_field_and_the_actor(tree, admin) -> None:
    user = user_create(
        username="ann",
        password=PASSWORD,
        business_unit=tree.sales,
        email="ann@example.com",
        first_name="Ann",
        roles=list(Role.objects.filter(name="sales_rep")),
        actor=admin,
    )

    [entry] = _entries("platform.user", user.pk)
    assert entry.action == "create"
    assert entry.actor == admin
    assert entry.actor_label == "root-admin"
    assert entry.changes["username"] == {"old": None, "new": "ann"}
    assert entry.changes["email"] == {"old": None, "new": "ann@example.com"}
    assert entry.changes["business_unit"] == {"old": None, "new": tree.sales.pk}
    assert entry.changes["roles"] == {"old": None, "new": ["sales_rep"]}
    assert "password" not in entry.changes
    assert "last_name" not in entry.changes  # empty values are not listed


def test_updating_a_user_records_only_the_changed_fields_with_old_and_new(tree, admin, make_user) -> None:
    user = make_user("bob", unit=tree.sales)

    user_update(user=user, actor=admin, email="bob@example.com", first_name="Bob", title="Rep")

    [entry] = _entries("platform.user", user.pk)
    assert entry.action == "update"
    assert entry.actor == admin
    assert entry.changes == {
        "first_name": {"old": "", "new": "Bob"},
        "title": {"old": "", "new": "Rep"},
    }


def test_role_changes_of_a_user_are_recorded_by_name(tree, admin, make_user) -> None:
    user = make_user("cid", unit=tree.sales, roles=["sales_rep"])

    user_update(user=user, actor=admin, roles=list(Role.objects.filter(name="sales_manager")))

    [entry] = _entries("platform.user", user.pk)
    assert entry.changes == {"roles": {"old": ["sales_rep"], "new": ["sales_manager"]}}


def test_an_update_that_changes_nothing_records_nothing(tree, admin, make_user) -> None:
    user = make_user("dan", unit=tree.sales)

    user_update(user=user, actor=admin, email="dan@example.com", business_unit=tree.sales)
    business_unit_update(unit=tree.east, name="Sales East", actor=admin)

    assert _entries("platform.user", user.pk) == []
    assert _entries("platform.business_unit", tree.east.pk) == []


def test_deleting_a_user_records_the_old_values(tree, admin, make_user) -> None:
    user = make_user("eve", unit=tree.east)
    pk = user.pk

    user_delete(user=user, actor=admin)

    [entry] = _entries("platform.user", pk)
    assert entry.action == "delete"
    assert entry.actor == admin
    assert entry.object_repr == "eve"
    assert entry.changes["username"] == {"old": "eve", "new": None}
    assert entry.changes["business_unit"] == {"old": tree.east.pk, "new": None}


def test_business_unit_create_update_delete_are_recorded(tree, admin) -> None:
    unit = business_unit_create(organization=tree.org, name="Retail", parent=tree.main, actor=admin)
    unit = business_unit_update(unit=unit, name="Retail Stores", email="retail@example.com", actor=admin)
    unit = business_unit_update(unit=unit, parent=tree.commerce, actor=admin)
    pk = unit.pk
    business_unit_delete(unit=unit, actor=admin)

    entries = _entries("platform.business_unit", pk)
    assert [e.action for e in entries] == ["create", "update", "update", "delete"]
    assert {e.actor_id for e in entries} == {admin.pk}
    assert entries[0].changes == {
        "organization": {"old": None, "new": tree.org.pk},
        "parent": {"old": None, "new": tree.main.pk},
        "name": {"old": None, "new": "Retail"},
    }
    assert entries[1].changes == {
        "name": {"old": "Retail", "new": "Retail Stores"},
        "email": {"old": "", "new": "retail@example.com"},
    }
    assert entries[2].changes == {"parent": {"old": tree.main.pk, "new": tree.commerce.pk}}
    assert entries[3].changes["name"] == {"old": "Retail Stores", "new": None}


def test_a_refused_delete_records_nothing(tree, admin, make_user) -> None:
    make_user("frank", unit=tree.east)

    with pytest.raises(Conflict):
        business_unit_delete(unit=tree.east, actor=admin)

    assert _entries("platform.business_unit", tree.east.pk) == []


def test_role_create_update_delete_are_recorded_with_grants(tree, admin) -> None:
    role = role_create(label="Auditor", grants={"platform.user": {"view": 4}}, actor=admin)
    role_update(role=role, label="Auditors", grants={"platform.user": {"view": 2}}, actor=admin)
    role_update(role=role, label="Auditors", actor=admin)  # nothing changes
    pk = role.pk
    role_delete(role=role, actor=admin)

    entries = _entries("platform.role", pk)
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[0].changes["grants"] == {"old": None, "new": {"platform.user": {"view": 4}}}
    assert entries[0].changes["label"] == {"old": None, "new": "Auditor"}
    assert entries[1].changes == {
        "label": {"old": "Auditor", "new": "Auditors"},
        "grants": {"old": {"platform.user": {"view": 4}}, "new": {"platform.user": {"view": 2}}},
    }
    assert entries[2].actor == admin


def test_changes_through_the_api_are_audited_with_the_caller(tree, admin, make_user, api_as) -> None:
    user = make_user("gina", unit=tree.sales)

    response = api_as(admin).patch(f"users/{user.pk}", {"last_name": "Green"})

    [entry] = _entries("platform.user", user.pk)
    assert response.status_code == 200
    assert entry.actor == admin
    assert entry.changes == {"last_name": {"old": "", "new": "Green"}}


def test_history_endpoint_returns_the_entries_newest_first(tree, admin, make_user, api_as) -> None:
    user = make_user("hal", unit=tree.sales)
    user_update(user=user, actor=admin, first_name="Hal")
    user_update(user=user, actor=admin, first_name="Harold")

    response = api_as(admin).get(f"users/{user.pk}/history")

    body = response.json()
    assert response.status_code == 200
    assert [e["action"] for e in body] == ["update", "update"]
    assert body[0]["changes"] == {"first_name": {"old": "Hal", "new": "Harold"}}
    assert body[1]["changes"] == {"first_name": {"old": "", "new": "Hal"}}
    assert body[0]["actor_id"] == admin.pk
    assert body[0]["actor"] == "root-admin"


def test_history_of_a_record_outside_the_view_grant_is_404(tree, admin, make_user, api_as) -> None:
    stranger = make_user("ivan", unit=tree.other_main)
    user_update(user=stranger, actor=admin, first_name="Ivan")
    rep = make_user("rep", unit=tree.sales, roles=["sales_rep"])

    response = api_as(rep).get(f"users/{stranger.pk}/history")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_business_unit_and_role_history_endpoints(tree, admin, api_as) -> None:
    role = role_create(label="Viewer", actor=admin)
    business_unit_update(unit=tree.east, phone="555-0100", actor=admin)
    client = api_as(admin)

    units = [e for e in client.get(f"business-units/{tree.east.pk}/history").json() if e["actor_id"]]
    roles = client.get(f"roles/{role.pk}/history").json()

    assert [(e["action"], e["changes"]) for e in units] == [
        ("update", {"phone": {"old": "", "new": "555-0100"}})
    ]
    assert [e["action"] for e in roles] == ["create"]


def test_the_user_view_page_shows_the_change_history(tree, admin, make_user, console_as) -> None:
    user = make_user("jill", unit=tree.sales)
    user_update(user=user, actor=admin, title="Account Executive")

    response = console_as(admin).get(f"/console/users/{user.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Change history" in content
    assert "Account Executive" in content
    history = content[content.index("Change history") :]
    assert "title" in history
    assert "root-admin" in history
