"""Statements compiled once: the same rows as the ORM's query, for any values, on every database."""

from __future__ import annotations

import pytest
from django.db.models import QuerySet

from accord.platform.models import User
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


def test_a_query_that_is_not_values_list_is_refused(users) -> None:
    whole = Statement(User, lambda ids: User.objects.filter(id__in=ids))

    with pytest.raises(TypeError, match="values_list"):
        whole.rows(ids=[users[0].pk])
