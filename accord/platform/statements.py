"""ORM queries of a fixed shape, compiled once and run again with new values (decision 0083).

A page of 50 customers reads its sales representatives, addresses and accounts with three small
queries whose SQL is the same on every request; only the ids change. Compiling each with the ORM
cost 0.5-0.75 ms, two to five times running it. A `Statement` is written with the ORM (names come
from the models, lookups stay Django's) and compiled once per database: the values that change are
passed as markers, found again among the compiled parameters, and replaced on each run.

Only ints and lists of ints change between runs (ids, mostly); anything else is part of the shape.
A list is one parameter on PostgreSQL (decision 0082), so one SQL text serves every length; on
SQLite it is one parameter per item and a shape is kept per length. Rows come back as tuples in the
`values_list` order, or as model instances, through the converters the ORM applies (aware
datetimes and booleans on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable

Value = int | Sequence[int]
# Markers: positive and within a 32-bit integer column's range, as Django drops a comparison with a
# value out of the column's range before it reaches the SQL (a smallint column cannot take them: the
# statement refuses it). A constant of the query equal to a marker would be read as an argument.
_MARK = 1_000_000_007
_SPAN = 2**20  # markers of one argument: a list may hold this many items (and 1,000 arguments fit)


@dataclass(frozen=True)
class _Slot:
    name: str | None  # None: a constant of the shape
    index: int | None  # an item of a list argument (one parameter per item); None: the whole value
    constant: Any = None
    wrap: Callable[[int], Any] = int  # the driver's type the ORM gave the value (psycopg's Int8 for bigint)


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query matches nothing (an empty list in a filter)
    slots: tuple[_Slot, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]
    fields: tuple[str, ...] | None = None  # a model query: its columns' attribute names (for `from_db`)
    any_length: bool = False  # every list is one parameter: the same SQL serves lists of any length


def _checked(name: str, value: Any) -> Value:
    if type(value) is int:
        return value
    is_list = isinstance(value, Sequence) and not isinstance(value, str | bytes)
    if is_list and all(type(item) is int for item in value):
        return value
    raise TypeError(f"Statement argument {name!r}: an int or a list of ints, not {value!r}")


class Statement:
    """`build(**markers)` returns the queryset (a `values_list`, or plain model rows); its keyword
    arguments are what changes between runs."""

    MAX_SHAPES = 32  # per statement; lists of other lengths past it are compiled on each run (SQLite)

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]]) -> None:
        self.model = model
        self.build = build
        self.compiled: dict[tuple[Any, ...], _Compiled] = {}

    def rows(self, **values: Value) -> list[tuple[Any, ...]]:
        """The rows of a `values_list` statement, as tuples in its order."""
        alias, compiled, checked = self._ready(values)
        if compiled.fields is not None:
            raise TypeError("A statement of model rows: use instances()")
        return self._fetch(alias, compiled, checked)

    def instances(self, **values: Value) -> list[Any]:
        """The instances of a statement of plain model rows (no `select_related`, no annotations)."""
        alias, compiled, checked = self._ready(values)
        if compiled.fields is None and compiled.sql is not None:
            raise TypeError("A statement of values_list rows: use rows()")
        fields = compiled.fields or ()
        return [self.model.from_db(alias, fields, row) for row in self._fetch(alias, compiled, checked)]

    def _ready(self, values: dict[str, Value]) -> tuple[str, _Compiled, dict[str, Value]]:
        checked = {name: _checked(name, value) for name, value in values.items()}
        alias = router.db_for_read(self.model)
        names = tuple(sorted(checked))
        has_empty = any(not isinstance(value, int) and not value for value in checked.values())
        compiled = None if has_empty else self.compiled.get((alias, names))
        if compiled is None:
            shape = (alias, tuple((name, _length(checked[name])) for name in names))
            compiled = self.compiled.get(shape)
            if compiled is None:
                compiled = self._compile(alias, checked)
                if compiled.any_length and not has_empty:
                    self.compiled[(alias, names)] = compiled
                elif len(self.compiled) < self.MAX_SHAPES:
                    self.compiled[shape] = compiled
        return alias, compiled, checked

    def _fetch(self, alias: str, compiled: _Compiled, values: dict[str, Value]) -> list[tuple[Any, ...]]:
        if compiled.sql is None:
            return []
        params = [_param(slot, values) for slot in compiled.slots]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if not compiled.converters:
            return found
        return [_converted(row, compiled.converters, connection) for row in found]

    def _compile(self, alias: str, values: dict[str, Value]) -> _Compiled:
        markers: dict[int, tuple[str, int | None]] = {}
        arguments: dict[str, Any] = {}
        for number, (name, value) in enumerate(sorted(values.items())):
            base = _MARK + number * _SPAN
            if isinstance(value, int):
                arguments[name] = base
                markers[base] = (name, None)
            else:
                arguments[name] = [base + i for i in range(len(value))]
                markers.update({base + i: (name, i) for i in range(len(value))})
        queryset = self.build(**arguments)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            if all(isinstance(value, int) or value for value in values.values()):
                raise TypeError(
                    "Statement matches nothing for any value: a marker is outside a column's range"
                ) from None
            return _Compiled(None, (), ())  # an empty list
        fields = _columns(queryset, compiler)
        slots = tuple(_slot(param, markers, arguments) for param in params)
        used = {slot.name for slot in slots if slot.name is not None}
        if used != {name for name, value in values.items() if isinstance(value, int) or value}:
            raise TypeError(f"Statement arguments {sorted(set(values) - used)} are not parameters of its SQL")
        expressions = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(expressions).items()
        )
        any_length = all(slot.index is None for slot in slots)
        return _Compiled(sql, slots, converters, fields, any_length)


def _columns(queryset: QuerySet[Any], compiler: Any) -> tuple[str, ...] | None:
    """The attribute names of a model query's columns; None for a `values_list` (checked: in its order)."""
    selected = compiler.select[: compiler.col_count]
    iterable = queryset._iterable_class  # type: ignore[attr-defined]
    if iterable is not ModelIterable:
        wanted = tuple(getattr(queryset, "_fields", None) or ())
        names = tuple(alias for _, _, alias in selected)
        if names != wanted or not issubclass(iterable, ValuesListIterable):
            raise TypeError(f"Statement columns {names} are not those of a values_list {wanted}")
        return None
    info = compiler.klass_info or {}
    plain = info.get("select_fields") == list(range(len(selected))) and not info.get("related_klass_infos")
    if not plain or compiler.annotation_col_map:
        raise TypeError(
            "A statement reads a values_list or plain model rows (no select_related, annotations)"
        )
    return tuple(column.target.attname for column, _, _ in selected)


def _slot(param: Any, markers: dict[int, tuple[str, int | None]], arguments: dict[str, Any]) -> _Slot:
    if isinstance(param, int) and not isinstance(param, bool) and param in markers:
        name, index = markers[param]
        return _Slot(name, index, wrap=type(param))
    if isinstance(param, list) and param and all(type(p) is int and p in markers for p in param):
        name = markers[param[0]][0]
        if param == arguments[name]:
            return _Slot(name, None)  # the whole list as one parameter (PostgreSQL's `= ANY(%s)`)
    return _Slot(None, None, param)


def _length(value: Value) -> int | None:
    """The part of a value that is part of the shape: a list's length (one parameter per item)."""
    return None if isinstance(value, int) else len(value)


def _param(slot: _Slot, values: dict[str, Value]) -> Any:
    if slot.name is None:
        return slot.constant
    value = values[slot.name]
    if isinstance(value, int):
        return slot.wrap(value)
    return list(value) if slot.index is None else slot.wrap(value[slot.index])


def _converted(row: tuple[Any, ...], converters: Any, connection: Any) -> tuple[Any, ...]:
    values = list(row)
    for position, convs, expression in converters:
        value = values[position]
        for convert in convs:
            value = convert(value, expression, connection)
        values[position] = value
    return tuple(values)


@cache
def rows_by_id(model: type[Model], fields: tuple[str, ...]) -> Statement:
    """`fields` of the rows of `model` with the given ids, in id order: `.rows(ids=[...])`."""
    return Statement(
        model, lambda ids: model._default_manager.filter(pk__in=ids).order_by("pk").values_list(*fields)
    )
