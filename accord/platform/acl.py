"""The one ACL layer: which records of an entity a console user may see or change.

Every console view, API endpoint, grid, search and export asks these functions; nothing
filters by hand. Grants come from the user's roles: per entity and action, the highest
access level of any role (see `AccessLevel`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial
from typing import Any

from django.db import connections, models, router
from django.db.models import Q, QuerySet

from accord.platform.errors import Forbidden, NotFound
from accord.platform.models import AccessLevel, BusinessUnit, Role, RolePermission, User
from accord.platform.registries import EntityDef, Ownership, entities
from accord.platform.statements import Statement

_GRANTS_ATTR = "_accord_grants"
_DIVISION_ATTR = "_accord_division_ids"
_ADMIN_ATTR = "_accord_is_admin"


@cache
def _grants_sql(alias: str) -> str:
    """Every role of a user with its permissions (roles without any included), built once per alias.

    Plain SQL: it runs on every API request, and compiling it with the ORM cost ten times the query.
    """
    q = connections[alias].ops.quote_name
    roles = User._meta.get_field("roles")
    links = q(roles.remote_field.through._meta.db_table)  # type: ignore[union-attr]
    user_fk, role_fk = q(roles.m2m_column_name()), q(roles.m2m_reverse_name())
    perm_fk = q(RolePermission._meta.get_field("role").column)
    columns = ", ".join(
        [f"r.{q('is_administrator')}", *(f"p.{q(name)}" for name in ("entity", "action", "level"))]
    )
    # Only identifiers from the models' metadata are interpolated; the user id is a parameter.
    return (
        f"SELECT {columns} FROM {links} ur "  # noqa: S608
        f"INNER JOIN {q(Role._meta.db_table)} r ON r.{q('id')} = ur.{role_fk} "
        f"LEFT JOIN {q(RolePermission._meta.db_table)} p ON p.{perm_fk} = r.{q('id')} "
        f"WHERE ur.{user_fk} = %s"
    )


def _load(user: User) -> dict[tuple[str, str], int]:
    grants = getattr(user, _GRANTS_ATTR, None)
    if grants is None:
        grants = {}
        is_admin = user.is_superuser
        alias = router.db_for_read(Role)
        with connections[alias].cursor() as cursor:
            cursor.execute(_grants_sql(alias), [user.pk])
            rows = cursor.fetchall()
        for role_is_admin, entity, action, level in rows:
            is_admin = is_admin or bool(role_is_admin)
            if entity is None:
                continue
            key = (entity, action)
            grants[key] = max(grants.get(key, 0), level)
        setattr(user, _ADMIN_ATTR, is_admin)
        setattr(user, _GRANTS_ATTR, grants)
    return grants


def forget(user: User) -> None:
    """Drop the cached grants (after the user's roles changed)."""
    for attr in (_GRANTS_ATTR, _DIVISION_ATTR, _ADMIN_ATTR):
        # Only the instance's own cache: User declares `_accord_grants` on the class too.
        user.__dict__.pop(attr, None)


def is_administrator(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    _load(user)
    return bool(getattr(user, _ADMIN_ATTR, False))


def level_for(user: Any, entity: str, action: str) -> int:
    """The access level the user holds for an action on an entity."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return AccessLevel.NONE
    entities.get(entity)  # unknown entities are a programming error
    grants = _load(user)
    if getattr(user, _ADMIN_ATTR, False):
        return AccessLevel.ORGANIZATION
    return grants.get((entity, action), AccessLevel.NONE)


def division_unit_ids(user: User) -> list[int]:
    """The user's business unit and every unit below it."""
    ids = getattr(user, _DIVISION_ATTR, None)
    if ids is None:
        if user.business_unit_id is None:
            ids = []
        else:
            unit = BusinessUnit.objects.only("path").get(pk=user.business_unit_id)
            ids = list(BusinessUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
        setattr(user, _DIVISION_ATTR, ids)
    return ids


def q_for(
    user: Any,
    entity: str,
    action: str,
    *,
    owner: str | None = None,
    business_unit: str | None = None,
    organization: str | None = None,
) -> Q | None:
    """A filter for the records the user may act on, or None when it may act on none.

    The field paths default to the entity's; search passes its own denormalised columns.
    """
    definition = entities.get(entity)
    level = level_for(user, entity, action)
    if level == AccessLevel.NONE:
        return None
    if definition.ownership == Ownership.NONE:
        return Q()
    org_field = organization or f"{definition.organization_field}_id"
    q = Q(**{org_field: user.organization_id})
    if definition.ownership == Ownership.ORGANIZATION or level >= AccessLevel.ORGANIZATION:
        return q
    bu_field = business_unit or f"{definition.business_unit_field}_id"
    if level == AccessLevel.DIVISION:
        return q & Q(**{f"{bu_field}__in": division_unit_ids(user)})
    if level == AccessLevel.BUSINESS_UNIT or definition.ownership == Ownership.BUSINESS_UNIT:
        return q & Q(**{bu_field: user.business_unit_id})
    owner_field = owner or f"{definition.owner_field}_id"
    return q & Q(**{owner_field: user.pk})


def filter_queryset(user: Any, entity: str, action: str, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Narrow a queryset to the records the user may act on."""
    q = q_for(user, entity, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q)


def visible(user: Any, entity: str, queryset: QuerySet[Any] | None = None) -> QuerySet[Any]:
    """The records of an entity the user may view."""
    if queryset is None:
        queryset = entities.get(entity).get_model()._default_manager.all()
    return filter_queryset(user, entity, "view", queryset)


def _record_value(record: models.Model, field: str) -> Any:
    return getattr(record, f"{field}_id", None)


def can(user: Any, entity: str, action: str, record: models.Model | None = None) -> bool:
    """May the user do this action on this record (or on some record, when none is given)?"""
    definition = entities.get(entity)
    level = level_for(user, entity, action)
    if level == AccessLevel.NONE:
        return False
    if record is None or definition.ownership == Ownership.NONE:
        return True
    return _record_in_reach(user, definition, level, record)


def row_checker(user: Any, entity: str, action: str) -> Callable[..., bool]:
    """`can` for records read as columns (the joined rows of a page) rather than as instances: a
    test of a row's `ownership_columns`, the grant looked up once for all of them (on a page of 50
    accounts with 200 contacts the lookups per row cost more than the comparisons)."""
    definition = entities.get(entity)
    level = level_for(user, entity, action)
    if level == AccessLevel.NONE:
        return _never
    if definition.ownership == Ownership.NONE:
        return _always
    if definition.ownership == Ownership.ORGANIZATION or level >= AccessLevel.ORGANIZATION:
        organization = user.organization_id
        return lambda organization_id, *_: organization_id == organization
    return partial(_in_reach, user, definition, level)


def _never(*_: Any) -> bool:
    return False


def _always(*_: Any) -> bool:
    return True


def ownership_columns(entity: str, path: str = "") -> tuple[str, ...]:
    """The lookups of a record's organization, business unit and owner ids (for `row_checker`), through
    `path`; none for an entity without ownership (only the grant counts)."""
    definition = entities.get(entity)
    if definition.ownership == Ownership.NONE:
        return ()
    fields = (definition.organization_field, definition.business_unit_field, definition.owner_field)
    return tuple(f"{path}{field}_id" for field in fields)


def _record_in_reach(user: User, definition: EntityDef, level: int, record: models.Model) -> bool:
    organization_id = _record_value(record, definition.organization_field)
    unit_id = _record_value(record, definition.business_unit_field)
    return _in_reach(
        user, definition, level, organization_id, unit_id, _record_value(record, definition.owner_field)
    )


def _in_reach(
    user: User, definition: EntityDef, level: int, organization_id: Any, unit_id: Any, owner_id: Any
) -> bool:
    """Is a record with these organization, business unit and owner ids within the user's level?"""
    if organization_id != user.organization_id:
        return False
    if definition.ownership == Ownership.ORGANIZATION or level >= AccessLevel.ORGANIZATION:
        return True
    if level == AccessLevel.DIVISION:
        return unit_id in division_unit_ids(user)
    if level == AccessLevel.BUSINESS_UNIT or definition.ownership == Ownership.BUSINESS_UNIT:
        return unit_id == user.business_unit_id
    return owner_id == user.pk


def require(user: Any, entity: str, action: str, record: models.Model | None = None) -> None:
    """Raise Forbidden unless `can(...)`."""
    if not can(user, entity, action, record):
        label = entities.get(entity).label.lower()
        raise Forbidden(f"You are not allowed to {action} this {label}.", code="forbidden")


def get_visible_or_404(user: Any, entity: str, pk: Any, queryset: QuerySet[Any] | None = None) -> Any:
    """Fetch a record the user may view; anything else is 'not found' so nothing leaks."""
    try:
        if queryset is None and type(pk) is int:
            found = _by_pk(entities.get(entity).get_model()).instances(pk=pk)
            if found and can(user, entity, "view", found[0]):
                return found[0]
            raise models.ObjectDoesNotExist
        return visible(user, entity, queryset).get(pk=pk)
    except (ValueError, TypeError, models.ObjectDoesNotExist):
        label = entities.get(entity).label
        raise NotFound(f"{label} {pk} was not found.") from None


@cache
def _by_pk(model: type[models.Model]) -> Statement:
    """A record by key, compiled once per model; `can` then applies the same rule as `visible`."""
    return Statement(model, lambda pk: model._default_manager.filter(pk=pk))


def get_for_action(
    user: Any, entity: str, action: str, pk: Any, queryset: QuerySet[Any] | None = None
) -> Any:
    """Fetch a record for a change: 404 when invisible, 403 when visible but not changeable."""
    record = get_visible_or_404(user, entity, pk, queryset)
    require(user, entity, action, record)
    return record
