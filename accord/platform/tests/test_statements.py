"""Statements compiled once: the same rows as the ORM's query, for any values, on every database."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from accord.platform.models import Activity, User
from accord.platform.statements import Statement

pytestmark = pytest.mark.django_db


class Built:
    """The users query of the tests, counting how often it is built (compiled)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, ids: list[int], organization: int) -> QuerySet[User]:
        self.calls += 1
        return (
            User.objects.filter(id__in=ids, organization_id=organization, username__startswith="u")
            .order_by("-id")
            .values_list("id", "username", "is_active", "date_joined", "business_unit_id")
        )


@pytest.fixture
def users(tree, make_user) -> list[User]:
    made = [make_user(f"u{i}", unit=tree.sales) for i in range(6)]
    made.append(make_user("someone", unit=tree.sales))  # outside `username__startswith`
    made[2].is_active = False
    made[2].save(update_fields=["is_active"])
    return made


def test_rows_are_the_orm_rows_for_every_value_and_list_length(users) -> None:
    built = Built()
    statement = Statement(User, built)
    organization = users[0].organization_id
    ids = [user.pk for user in users]

    for chosen in (ids, ids[:3], ids[3:], [ids[1]], ids[:3], ids, [ids[0], ids[0], ids[1]]):
        rows = statement.rows(ids=chosen, organization=organization)
        assert rows == list(built(chosen, organization))
        assert rows
        assert all(isinstance(row[2], bool) for row in rows)  # booleans converted, not 0/1
        assert all(row[3].tzinfo is not None for row in rows)  # aware datetimes, as the ORM gives them
    assert statement.rows(ids=ids, organization=organization + 1000) == []
    assert users[2].pk in {row[0] for row in statement.rows(ids=ids, organization=organization)}


def test_a_shape_is_compiled_once_and_rows_are_never_cached(users, make_user, tree) -> None:
    built = Built()
    statement = Statement(User, built)
    organization = users[0].organization_id
    ids = [user.pk for user in users]

    for _ in range(3):
        statement.rows(ids=ids[:4], organization=organization)
        statement.rows(ids=ids[1:5], organization=organization)
    assert built.calls == 1  # same list length, other values: the compiled SQL is reused

    late = make_user("u-late", unit=tree.sales)
    assert statement.rows(ids=[*ids[:3], late.pk], organization=organization)[0][1] == "u-late"


def test_an_empty_list_matches_nothing_without_a_query(users, django_assert_num_queries) -> None:
    statement = Statement(User, Built())

    with django_assert_num_queries(0):
        assert statement.rows(ids=[], organization=users[0].organization_id) == []


@pytest.mark.parametrize("value", ["7", 7.0, True, [1, "2"], None])
def test_only_ints_and_lists_of_ints_change_between_runs(users, value) -> None:
    statement = Statement(User, Built())

    with pytest.raises(TypeError, match="'organization': an int or a list of ints"):
        statement.rows(ids=[users[0].pk], organization=value)


def test_an_argument_that_is_not_a_parameter_of_the_sql_is_refused(users) -> None:
    ignoring = Statement(User, lambda ids, unused: User.objects.filter(id__in=ids).values_list("id"))

    with pytest.raises(TypeError, match=r"\['unused'\] are not parameters"):
        ignoring.rows(ids=[users[0].pk], unused=3)


def test_model_rows_come_back_as_the_orm_instances(users) -> None:
    ids = [user.pk for user in users]
    statement = Statement(User, lambda ids: User.objects.filter(id__in=ids).order_by("id"))

    found = statement.instances(ids=ids[:4])

    assert [(u.pk, u.username, u.is_active, u.date_joined) for u in found] == [
        (u.pk, u.username, u.is_active, u.date_joined)
        for u in User.objects.filter(id__in=ids[:4]).order_by("id")
    ]
    assert all(
        isinstance(user, User) and user._state.db == "default" and not user._state.adding for user in found
    )
    assert found[2].is_active is False
    with pytest.raises(TypeError, match="use instances"):
        statement.rows(ids=ids)


def test_a_list_is_one_parameter_on_postgresql_and_the_shapes_stay_bounded(users) -> None:
    built = Built()
    statement = Statement(User, built)
    organization = users[0].organization_id
    ids = [user.pk for user in users]
    long = [*ids, *range(10**9, 10**9 + 60)]  # ids that match nothing pad the lists to many lengths

    for length in range(1, len(long) + 1):
        assert statement.rows(ids=long[:length], organization=organization) == list(
            built(long[:length], organization)
        )

    if connection.vendor == "postgresql":
        assert len(statement.compiled) == 1  # `= ANY(%s)`: one SQL text for every length
    else:
        assert len(statement.compiled) == Statement.MAX_SHAPES  # past it, compiled on each run


def test_what_a_statement_cannot_carry_is_refused(users) -> None:
    ids = [users[0].pk]
    for build in (
        lambda ids: User.objects.filter(id__in=ids).values("id"),  # dicts
        lambda ids: User.objects.filter(id__in=ids).select_related("business_unit"),
        lambda ids: User.objects.filter(id__in=ids).annotate(n=Count("roles")),
    ):
        with pytest.raises(TypeError):
            Statement(User, build).instances(ids=ids)
    with pytest.raises(TypeError, match="use rows"):
        Statement(User, Built()).instances(ids=ids, organization=users[0].organization_id)


def test_a_bigint_column_keeps_the_drivers_type_and_select_for_update_locks(users, tree) -> None:
    """PostgreSQL: the ORM hands a bigint's value to psycopg as `Int8`; the statement does the same."""
    for user in users[:3]:
        Activity.objects.create(
            kind="note",
            subject=f"about {user.username}",
            target_entity="platform.user",
            target_id=user.pk,
            happened_at=timezone.now(),
            owner=user,
            business_unit=tree.sales,
            organization_id=tree.sales.organization_id,
        )
    about = Statement(
        Activity,
        lambda target: Activity.objects.select_for_update().filter(target_id=target).values_list("subject"),
    )

    with transaction.atomic():
        assert about.rows(target=users[1].pk) == [(f"about {users[1].username}",)]
        assert about.rows(target=users[2].pk) == [(f"about {users[2].username}",)]
    if connection.vendor == "postgresql":
        (compiled,) = about.compiled.values()
        assert "FOR UPDATE" in (compiled.sql or "")
        assert [slot.wrap.__name__ for slot in compiled.slots if slot.name] == ["Int8"]


def test_a_32_bit_column_takes_the_markers_and_a_smallint_is_refused(users, tree) -> None:
    """Django drops a comparison with a value out of the column's range before the SQL: a marker
    out of range would compile to "nothing matches" for every value. Positive markers within 32 bits
    fit an integer column; a smallint column (PostgreSQL) is refused loudly rather than answered
    with nothing."""
    from accord.platform.models import RolePermission

    for minutes in (5, 30):
        Activity.objects.create(
            kind="call",
            subject=f"{minutes} minutes",
            target_entity="platform.user",
            target_id=users[0].pk,
            happened_at=timezone.now(),
            duration_minutes=minutes,
            owner=users[0],
            business_unit=tree.sales,
            organization_id=tree.sales.organization_id,
        )
    lasting = Statement(
        Activity, lambda minutes: Activity.objects.filter(duration_minutes=minutes).values_list("subject")
    )
    assert lasting.rows(minutes=30) == [("30 minutes",)]
    assert lasting.rows(minutes=5) == [("5 minutes",)]

    by_level = Statement(
        RolePermission, lambda level: RolePermission.objects.filter(level=level).values_list("id")
    )
    if connection.vendor == "postgresql":
        with pytest.raises(TypeError, match="outside a column's range"):
            by_level.rows(level=1)
    else:  # SQLite gives every integer column 64 bits
        assert by_level.rows(level=1) == list(RolePermission.objects.filter(level=1).values_list("id"))
