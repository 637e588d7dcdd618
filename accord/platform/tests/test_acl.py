"""The ACL: for each access level exactly the records it grants, and none it does not."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from accord.platform import acl
from accord.platform.errors import Forbidden, NotFound
from accord.platform.models import AccessLevel, Activity, AuditEntry, BusinessUnit, User
from accord.platform.services.activities import activity_delete

ENTITY = "platform.activity"


def _activity(owner: User, unit: BusinessUnit, subject: str) -> Activity:
    return Activity.objects.create(
        kind="note",
        subject=subject,
        target_entity="platform.user",
        target_id=owner.pk,
        happened_at=timezone.now(),
        owner=owner,
        business_unit=unit,
        organization_id=unit.organization_id,
    )


@dataclass
class World:
    """One activity owned by each of: me (Sales), a colleague (Sales), a user of the child unit
    (Sales East), a user of the parent unit (Main), a user of another organization."""

    mine: Activity
    colleague: Activity
    child: Activity
    parent: Activity
    other_org: Activity

    def named(self, *names: str) -> set[int]:
        return {getattr(self, name).pk for name in names}


@pytest.fixture
def world(tree, make_user) -> World:
    colleague = make_user("colleague", unit=tree.sales)
    child = make_user("child", unit=tree.east)
    parent = make_user("parent", unit=tree.main)
    stranger = make_user("stranger", unit=tree.other_main)
    return World(
        mine=None,  # type: ignore[arg-type]  # each test creates "me" with its grant (see _me)
        colleague=_activity(colleague, tree.sales, "colleague"),
        child=_activity(child, tree.east, "child"),
        parent=_activity(parent, tree.main, "parent"),
        other_org=_activity(stranger, tree.other_main, "other org"),
    )


def _me(tree, make_user, world: World, grants: dict[str, int], **kwargs) -> User:
    me = make_user("me", unit=tree.sales, grants={ENTITY: grants}, **kwargs)
    world.mine = _activity(me, tree.sales, "mine")
    return User.objects.get(pk=me.pk)  # a fresh instance: no cached grants


ALL = ("mine", "colleague", "child", "parent", "other_org")
EXPECTED = {
    AccessLevel.NONE: (),
    AccessLevel.USER: ("mine",),
    AccessLevel.BUSINESS_UNIT: ("mine", "colleague"),
    AccessLevel.DIVISION: ("mine", "colleague", "child"),
    AccessLevel.ORGANIZATION: ("mine", "colleague", "child", "parent"),
}


@pytest.mark.parametrize("level", list(EXPECTED), ids=[level.name.lower() for level in EXPECTED])
def test_visible_returns_exactly_the_records_of_the_level(tree, make_user, world, level) -> None:
    me = _me(tree, make_user, world, {"view": level})

    ids = set(acl.visible(me, ENTITY).values_list("id", flat=True))

    assert ids == world.named(*EXPECTED[level])


@pytest.mark.parametrize("level", list(EXPECTED), ids=[level.name.lower() for level in EXPECTED])
def test_can_on_each_record_agrees_with_the_level(tree, make_user, world, level) -> None:
    me = _me(tree, make_user, world, {"view": level, "edit": level})

    allowed = {name for name in ALL if acl.can(me, ENTITY, "edit", getattr(world, name))}

    assert allowed == set(EXPECTED[level])


@pytest.mark.parametrize("level", list(EXPECTED), ids=[level.name.lower() for level in EXPECTED])
def test_row_checker_on_each_records_columns_agrees_with_the_level(tree, make_user, world, level) -> None:
    me = _me(tree, make_user, world, {"view": level})
    rows = Activity.objects.filter(pk__in=world.named(*ALL)).values_list("pk", *acl.ownership_columns(ENTITY))

    may_view = acl.row_checker(me, ENTITY, "view")
    allowed = {pk for pk, *owned in rows if may_view(*owned)}

    assert allowed == world.named(*EXPECTED[level])
    own = (me.organization_id, me.business_unit_id, me.pk)
    assert not acl.row_checker(me, ENTITY, "edit")(*own)  # no edit grant: not even its own record


def test_row_checker_of_an_administrator_stops_at_the_organization(tree, make_user, world) -> None:
    User.objects.filter(pk=_me(tree, make_user, world, {}).pk).update(is_superuser=True)
    me = User.objects.get(username="me")
    rows = Activity.objects.filter(pk__in=world.named(*ALL)).values_list("pk", *acl.ownership_columns(ENTITY))

    may_edit = acl.row_checker(me, ENTITY, "edit")

    assert {pk for pk, *owned in rows if may_edit(*owned)} == world.named(*EXPECTED[AccessLevel.ORGANIZATION])


@pytest.mark.parametrize("level", list(EXPECTED), ids=[level.name.lower() for level in EXPECTED])
def test_require_raises_forbidden_for_every_record_outside_the_level(tree, make_user, world, level) -> None:
    me = _me(tree, make_user, world, {"delete": level})
    refused = set()

    for name in ALL:
        try:
            acl.require(me, ENTITY, "delete", getattr(world, name))
        except Forbidden:
            refused.add(name)

    assert refused == set(ALL) - set(EXPECTED[level])


def test_filter_queryset_narrows_an_existing_queryset_by_action(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.ORGANIZATION, "edit": AccessLevel.USER})
    notes = Activity.objects.filter(subject__in=["mine", "colleague", "parent"])

    editable = set(acl.filter_queryset(me, ENTITY, "edit", notes).values_list("id", flat=True))
    viewable = set(acl.filter_queryset(me, ENTITY, "view", notes).values_list("id", flat=True))

    assert editable == world.named("mine")
    assert viewable == world.named("mine", "colleague", "parent")


def test_no_grant_at_all_means_nothing_and_can_without_record_is_false(tree, make_user, world) -> None:
    me = make_user("me", unit=tree.sales)
    world.mine = _activity(me, tree.sales, "mine")

    assert list(acl.visible(me, ENTITY)) == []
    assert acl.can(me, ENTITY, "view") is False
    assert acl.can(me, ENTITY, "create") is False


def test_can_without_record_asks_only_for_the_grant(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"create": AccessLevel.USER})

    assert acl.can(me, ENTITY, "create") is True
    assert acl.can(me, ENTITY, "delete") is False


def test_highest_level_of_all_roles_wins(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.USER}, roles=["sales_manager"])

    ids = set(acl.visible(me, ENTITY).values_list("id", flat=True))

    assert ids == world.named("mine", "colleague", "child")  # sales_manager grants division


@pytest.mark.parametrize("level", list(EXPECTED), ids=[level.name.lower() for level in EXPECTED])
@pytest.mark.parametrize("given", [False, True], ids=["by-key", "queryset"])
def test_get_visible_or_404_hides_records_outside_the_view_grant(
    tree, make_user, world, level, given
) -> None:
    """By key (a compiled statement, then `can`) and through a given queryset (`visible`): the same answer."""
    me = _me(tree, make_user, world, {"view": level})
    queryset = Activity.objects.all() if given else None

    for name in ALL:
        record = getattr(world, name)
        if name in EXPECTED[level]:
            assert acl.get_visible_or_404(me, ENTITY, record.pk, queryset) == record
        else:
            with pytest.raises(NotFound):
                acl.get_visible_or_404(me, ENTITY, record.pk, queryset)
    for missing in ("not-a-number", None, 10**12):
        with pytest.raises(NotFound):
            acl.get_visible_or_404(me, ENTITY, missing, queryset)


def test_get_for_action_is_forbidden_when_visible_and_not_found_when_not(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.DIVISION, "delete": AccessLevel.USER})

    mine = acl.get_for_action(me, ENTITY, "delete", world.mine.pk)
    with pytest.raises(Forbidden):
        acl.get_for_action(me, ENTITY, "delete", world.child.pk)
    with pytest.raises(NotFound):
        acl.get_for_action(me, ENTITY, "delete", world.parent.pk)
    with pytest.raises(NotFound):
        acl.get_for_action(me, ENTITY, "delete", world.other_org.pk)

    assert mine == world.mine


def test_a_denied_service_call_writes_nothing(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.ORGANIZATION, "delete": AccessLevel.USER})
    audit_rows = AuditEntry.objects.count()

    with pytest.raises(Forbidden):
        activity_delete(actor=me, activity=world.colleague)

    assert Activity.objects.filter(pk=world.colleague.pk).exists()
    assert AuditEntry.objects.count() == audit_rows


def test_administrator_sees_everything_in_its_organization_and_nothing_outside(
    tree, make_user, world
) -> None:
    me = _me(tree, make_user, world, {}, roles=["administrator"])

    ids = set(acl.visible(me, ENTITY).values_list("id", flat=True))

    assert ids == world.named("mine", "colleague", "child", "parent")
    assert acl.can(me, ENTITY, "delete", world.parent) is True
    assert acl.can(me, ENTITY, "delete", world.other_org) is False
    with pytest.raises(NotFound):
        acl.get_for_action(me, ENTITY, "delete", world.other_org.pk)


def test_a_disabled_user_gets_nothing(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.ORGANIZATION}, roles=["administrator"])
    User.objects.filter(pk=me.pk).update(is_active=False)
    me = User.objects.get(pk=me.pk)

    assert list(acl.visible(me, ENTITY)) == []
    assert acl.can(me, ENTITY, "view", world.mine) is False
    assert acl.is_administrator(me) is False
    with pytest.raises(NotFound):
        acl.get_visible_or_404(me, ENTITY, world.mine.pk)


def test_grants_are_loaded_with_one_query_and_cached_on_the_user(
    tree, make_user, world, django_assert_num_queries
) -> None:
    me = _me(
        tree,
        make_user,
        world,
        {"view": AccessLevel.ORGANIZATION, "edit": AccessLevel.USER},
        roles=["sales_rep"],
    )

    with django_assert_num_queries(1):
        assert acl.can(me, ENTITY, "view") is True
        assert acl.can(me, ENTITY, "edit", world.mine) is True
        assert acl.can(me, ENTITY, "edit", world.colleague) is False
        assert acl.level_for(me, "platform.user", "view") == AccessLevel.ORGANIZATION
        acl.visible(me, ENTITY)


def test_forget_drops_the_cached_grants(tree, make_user, world) -> None:
    me = _me(tree, make_user, world, {"view": AccessLevel.USER})
    assert acl.level_for(me, ENTITY, "view") == AccessLevel.USER
    me.roles.first().permissions.update(level=AccessLevel.ORGANIZATION)

    cached = acl.level_for(me, ENTITY, "view")
    acl.forget(me)

    assert cached == AccessLevel.USER
    assert acl.level_for(me, ENTITY, "view") == AccessLevel.ORGANIZATION


def test_unknown_entity_is_a_programming_error(tree, make_user) -> None:
    me = make_user("me", unit=tree.sales, roles=["administrator"])

    with pytest.raises(KeyError):
        acl.can(me, "platform.no_such_thing", "view")
