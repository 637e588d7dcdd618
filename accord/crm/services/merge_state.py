"""What a merge records so that undo can put every row back exactly: rows dumped as stored, and
the foreign keys to an account found generically (so links other apps add are moved too)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps as django_apps
from django.db import models

from accord.crm.models import Account, CustomerAssociation
from accord.crm.registries import merge_derived_models


def dump(instance: models.Model) -> dict[str, Any]:
    """Every concrete column of a row, JSON-friendly."""
    row = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(value, dt.datetime | dt.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = str(value)
        row[field.attname] = value
    return row


def load(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    """Column values of a dumped row, as the model's fields take them."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.attname in row:
            raw = row[field.attname]
            values[field.attname] = (
                raw if raw is None or isinstance(field, models.JSONField) else field.to_python(raw)
            )
    return values


def insert_exact(model: type[models.Model], rows: Iterable[dict[str, Any]]) -> None:
    """Re-insert dumped rows with their ids and timestamps (auto_now columns are set afterwards)."""
    rows = list(rows)
    if not rows:
        return
    manager: Any = model._default_manager
    manager.bulk_create([model(**load(model, row)) for row in rows])
    automatic = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    if automatic:
        for row in rows:
            values = load(model, row)
            manager.filter(pk=values["id"]).update(**{name: values[name] for name in automatic})


def model_of(label: str) -> Any:
    return django_apps.get_model(label)


def account_relations() -> list[tuple[Any, str, bool]]:
    """(model, foreign key attname, derived?) of every foreign key to an account except the hub's."""
    relations = []
    for rel in Account._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one) or rel.related_model is CustomerAssociation:
            continue
        model: Any = rel.related_model
        relations.append((model, rel.field.attname, model._meta.label in merge_derived_models))
    return relations


def hub_relations() -> list[tuple[Any, str]]:
    """(model, foreign key attname) of every foreign key to a hub row (opportunities, leads, ...)."""
    result = []
    for rel in CustomerAssociation._meta.related_objects:
        if rel.one_to_many or rel.one_to_one:
            model: Any = rel.related_model
            result.append((model, rel.field.attname))
    return result


def pairs(queryset: Any, attname: str) -> list[list[int]]:
    """[[pk, value of the foreign key], ...] of the rows."""
    return [[pk, value] for pk, value in queryset.values_list("pk", attname)]


def move_back(model: Any, attname: str, rows: list[list[int]]) -> None:
    """Point each row back at its old target: one UPDATE per distinct old target."""
    by_target: dict[int, list[int]] = defaultdict(list)
    for pk, old in rows:
        by_target[old].append(pk)
    for old, pks in by_target.items():
        model._default_manager.filter(pk__in=pks).update(**{attname: old})


def still_pointing(model: Any, attname: str, rows: list[list[int]], target: int) -> list[int]:
    """The pks among the rows that no longer point at the target."""
    pks = [pk for pk, _ in rows]
    if not pks:
        return []
    ok = set(model._default_manager.filter(pk__in=pks, **{attname: target}).values_list("pk", flat=True))
    return sorted(set(pks) - ok)
