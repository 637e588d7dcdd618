"""The child rows of a page's records (a contact's emails, a lead's addresses), one query a relation.

A list page built from columns (`page_built`) fills its collections here instead of prefetching:
Django's prefetch builds a queryset and a model instance per record and row, which cost a page of
50 leads more than its queries (decision 0087).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django.db.models import Model

from accord.platform.statements import Statement


@cache
def _statement(owner: type[Model], relation: str, columns: tuple[str, ...]) -> Statement:
    """`columns` of the rows of `owner.<relation>` (a reverse foreign key) for a list of owner ids,
    in the related model's default order (the order `owner.<relation>.all()` gives), else by key."""
    field = owner._meta.get_field(relation)
    model: type[Model] = field.related_model  # type: ignore[assignment]
    key = field.field.attname  # type: ignore[union-attr]
    manager = model._default_manager
    return Statement(
        model,
        lambda ids: (
            manager.filter(**{f"{key}__in": ids})
            .order_by(*(model._meta.ordering or ("pk",)))
            .values_list(key, *columns)
        ),
    )


def child_rows(
    owner: type[Model], relation: str, ids: list[int], keys: Mapping[str, str]
) -> dict[int, list[dict[str, Any]]]:
    """{owner id: [{key: value of its column}, ...]} for `keys` = {output key: column}."""
    if not ids:
        return {}
    names = tuple(keys)
    found: dict[int, list[dict[str, Any]]] = {}
    for owner_id, *values in _statement(owner, relation, tuple(keys.values())).rows(ids=ids):
        found.setdefault(owner_id, []).append(dict(zip(names, values, strict=True)))
    return found


def related_ids(statement: Statement, ids: list[int]) -> dict[int, list[int]]:
    """{owner id: sorted ids} from a statement of (owner id, related id) rows (a many-to-many)."""
    found: dict[int, list[int]] = {}
    if ids:
        for owner_id, other_id in statement.rows(ids=ids):
            found.setdefault(owner_id, []).append(other_id)
    return {owner_id: sorted(values) for owner_id, values in found.items()}
