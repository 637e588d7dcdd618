"""PostgreSQL: `field__in=[ids]` as `field = ANY(%s)` with one array parameter (decision 0082).

Django writes `IN (%s, %s, …)` with a placeholder per value. Past 50 parameters psycopg parses such
a statement again on every call (its cache stops there), and a list of another length is another
statement, so it is never prepared: bulk work spent ~15% of its time re-reading its own SQL. With
one array parameter the text is the same for every length: parsed once, prepared after a few calls.
PostgreSQL itself turns `IN (list)` into `= ANY(array)`, so the plans are the same. Only lists of
integers take this path (keys, mostly); anything else, and every other database, keeps Django's.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject
from django.db.models.expressions import ColPairs  # type: ignore[attr-defined]
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In

from accord.platform.rows import INTEGER_TYPES


def _integers(lookup: In) -> list[int] | None:
    """The values as a list of ints when every one is an int (or None, which never matches)."""
    if not lookup.rhs_is_direct_value():
        return None
    values = []
    for value in lookup.rhs:
        if value is None:
            continue
        if type(value) is not int:
            return None
        values.append(value)
    return values or None


def _prepared_as_they_are(lookup: In, field: Any) -> list[int] | None:
    """Plain ints compared with an integer column need no preparation: the field's `get_prep_value`
    gives each one back unchanged, and calling it 10,000 times was a tenth of a bulk job's time."""
    values = lookup.rhs
    if not isinstance(values, list | tuple | set | frozenset) or not values:
        return None
    if field is None or field.get_internal_type() not in INTEGER_TYPES:
        return None
    if not all(type(value) is int for value in values):
        return None
    return list(values)


def _as_postgresql(lookup: In, compiler: Any, connection: Any) -> tuple[str, Any]:
    values = _integers(lookup)
    if values is None:
        return lookup.as_sql(compiler, connection)
    lhs, lhs_params = lookup.process_lhs(compiler, connection)
    return f"{lhs} = ANY(%s)", (*lhs_params, values)


class ArrayIn(In):
    def get_prep_lookup(self) -> Any:
        prepared = _prepared_as_they_are(self, getattr(self.lhs, "output_field", None))
        return super().get_prep_lookup() if prepared is None else prepared

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        return _as_postgresql(self, compiler, connection)


class ArrayRelatedIn(RelatedIn):
    def get_prep_lookup(self) -> Any:
        if isinstance(self.lhs, ColPairs):
            return super().get_prep_lookup()
        paths = getattr(self.lhs.output_field, "path_infos", None)
        target = paths[-1].target_fields[-1] if paths else None
        prepared = _prepared_as_they_are(self, target)
        return super().get_prep_lookup() if prepared is None else prepared

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if isinstance(self.lhs, ColPairs):
            return self.as_sql(compiler, connection)  # composite keys: Django's tuple lookup
        return _as_postgresql(self, compiler, connection)


def register() -> None:
    """Replace the `in` lookup of every field (and of relations, which have their own)."""
    Field.register_lookup(ArrayIn)
    ForeignObject.register_lookup(ArrayRelatedIn)
