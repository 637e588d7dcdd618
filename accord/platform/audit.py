"""Change history: snapshots of a record before and after a write, stored as field diffs.

Services call these explicitly (no model signals): `before = audit.snapshot(obj)`, change and
save, then `audit.record_update(...)`. Creates and deletes record every audited field.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import models
from django.utils import timezone

from accord.platform.models import AuditEntry
from accord.platform.registries import EntityDef, entities
from accord.platform.rows import insert_rows, instances_insert


def _plain(value: Any) -> Any:
    """Make a field value JSON-friendly and stable."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def _fields(definition: EntityDef, instance: models.Model) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in instance._meta.concrete_fields
        if field.name not in definition.audit_exclude and not field.primary_key
    ]


def snapshot(instance: models.Model, *, entity: str | None = None) -> dict[str, Any]:
    """The audited field values of a record, as stored (foreign keys as ids)."""
    definition = entities.get(entity) if entity else _entity_of(instance)
    return {
        field.name: _converter(field)(getattr(instance, field.attname))
        for field in _fields(definition, instance)
    }


# Field types whose values `_plain` returns as they are: no conversion to look for, row after row.
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "CharField",
    "TextField",
    "EmailField",
    "SlugField",
    "BooleanField",
    "PositiveIntegerField",
    "ForeignKey",
}


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """A field's raw attribute value as audited (JSON-friendly, as stored), chosen once per field:
    bulk audits convert thousands of rows with it."""
    if isinstance(field, models.DecimalField):
        # As stored: the same number always reads the same, whatever was assigned.
        unit = decimal.Decimal(1).scaleb(-(field.decimal_places or 0))
        return lambda value: None if value is None else str(decimal.Decimal(value).quantize(unit))
    if field.get_internal_type() in _AS_IS:
        return _same
    return _plain


def _same(value: Any) -> Any:
    return value


def _entity_of(instance: models.Model) -> EntityDef:
    label = f"{instance._meta.app_label}.{instance._meta.object_name}"
    for definition in entities:
        if definition.model == label:
            return definition
    raise KeyError(f"{label} is not a registered entity")


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"old": before.get(name), "new": value}
        for name, value in after.items()
        if before.get(name) != value
    }


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "System"
    return str(actor)


def _write(
    *,
    entity: str,
    instance: models.Model,
    action: str,
    actor: Any,
    changes: dict[str, dict[str, Any]],
) -> AuditEntry:
    entry = AuditEntry(
        entity=entity,
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=_actor_label(actor),
        at=timezone.now(),
        changes=changes,
    )
    return instances_insert([entry])[0]  # on every write's path: no per-value statement compiling


def record_create(*, instance: models.Model, actor: Any, extra: dict[str, Any] | None = None) -> AuditEntry:
    definition = _entity_of(instance)
    after = snapshot(instance, entity=definition.key)
    changes = {name: {"old": None, "new": value} for name, value in after.items() if value not in (None, "")}
    for name, value in (extra or {}).items():
        changes[name] = {"old": None, "new": _plain(value)}
    return _write(
        entity=definition.key,
        instance=instance,
        action=AuditEntry.Action.CREATE,
        actor=actor,
        changes=changes,
    )


_BULK_FIELDS = ("entity", "object_id", "object_repr", "action", "actor", "actor_label", "at", "changes")


def record_bulk_create(*, instances: Sequence[models.Model], actor: Any) -> int:
    """One "created" entry per record, written in batches (imports, generated data)."""
    if not instances:
        return 0
    definition = _entity_of(instances[0])
    converters = [
        (field.name, field.attname, _converter(field)) for field in _fields(definition, instances[0])
    ]
    now, label = timezone.now(), _actor_label(actor)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    rows = []
    for instance in instances:
        changes = {}
        for name, attname, convert in converters:
            value = convert(getattr(instance, attname))
            if value is not None and value != "":
                changes[name] = {"old": None, "new": value}
        rows.append(
            (
                definition.key,
                str(instance.pk),
                str(instance)[:255],
                AuditEntry.Action.CREATE.value,
                actor_id,
                label,
                now,
                changes,
            )
        )
    insert_rows(AuditEntry, rows, _BULK_FIELDS)
    return len(rows)


def record_update(
    *,
    instance: models.Model,
    actor: Any,
    before: dict[str, Any],
    extra: dict[str, dict[str, Any]] | None = None,
) -> AuditEntry | None:
    """Record what changed since `before`; nothing is written when nothing changed."""
    definition = _entity_of(instance)
    changes = diff(before, snapshot(instance, entity=definition.key))
    changes.update(extra or {})
    if not changes:
        return None
    return _write(
        entity=definition.key,
        instance=instance,
        action=AuditEntry.Action.UPDATE,
        actor=actor,
        changes=changes,
    )


def record_delete(*, instance: models.Model, actor: Any) -> AuditEntry:
    definition = _entity_of(instance)
    before = snapshot(instance, entity=definition.key)
    changes = {name: {"old": value, "new": None} for name, value in before.items() if value not in (None, "")}
    return _write(
        entity=definition.key,
        instance=instance,
        action=AuditEntry.Action.DELETE,
        actor=actor,
        changes=changes,
    )


@contextmanager
def tracking(instance: models.Model, *, actor: Any) -> Iterator[dict[str, dict[str, Any]]]:
    """Record the update made inside the block; the yielded dict takes extra (e.g. many-to-many) changes."""
    before = snapshot(instance)
    extra: dict[str, dict[str, Any]] = {}
    yield extra
    record_update(instance=instance, actor=actor, before=before, extra=extra)


def history(entity: str, object_id: Any) -> models.QuerySet[AuditEntry]:
    """An entry names its actor in `actor_label` (kept after the user is gone): no join to users."""
    return AuditEntry.objects.filter(entity=entity, object_id=str(object_id))
