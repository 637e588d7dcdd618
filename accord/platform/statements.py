"""ORM queries of a fixed shape, compiled once and run again with new values (decision 0083).

A page of 50 customers reads its sales representatives, addresses and accounts with three small
queries whose SQL is the same on every request; only the ids change. Compiling each with the ORM
cost 0.5-0.75 ms, two to five times running it. A `Statement` is written with the ORM (names come
from the models, lookups stay Django's) and compiled once per database: the values that change are
passed as markers, found again among the compiled parameters, and replaced on each run.

Only ints and lists of ints change between runs (ids, mostly); anything else is part of the shape.
A list is one parameter on PostgreSQL (decision 0082) and one per item elsewhere, so the shape is
kept per list length. Rows come back as tuples in the `values_list` order, through the same
converters the ORM applies (aware datetimes and booleans on SQLite).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Model, QuerySet

Value = int | Sequence[int]
_MARK = -(2**62)  # markers: far below any key or count
_SPAN = 2**20  # markers of one argument: a list may hold this many items


@dataclass(frozen=True)
class _Slot:
    name: str | None  # None: a constant of the shape
    index: int | None  # an item of a list argument (one parameter per item); None: the whole value
    constant: Any = None


@dataclass(frozen=True)
class _Compiled:
    sql: str | None  # None: the query matches nothing (an empty list in a filter)
    slots: tuple[_Slot, ...]
    converters: tuple[tuple[int, tuple[Callable[..., Any], ...], Any], ...]


def _checked(name: str, value: Any) -> Value:
    if type(value) is int:
        return value
    is_list = isinstance(value, Sequence) and not isinstance(value, str | bytes)
    if is_list and all(type(item) is int for item in value):
        return value
    raise TypeError(f"Statement argument {name!r}: an int or a list of ints, not {value!r}")


class Statement:
    """`build(**markers)` returns the `values_list` queryset; its keyword arguments are what changes."""

    def __init__(self, model: type[Model], build: Callable[..., QuerySet[Any]]) -> None:
        self.model = model
        self.build = build
        self.compiled: dict[tuple[Any, ...], _Compiled] = {}

    def rows(self, **values: Value) -> list[tuple[Any, ...]]:
        values = {name: _checked(name, value) for name, value in values.items()}
        alias = router.db_for_read(self.model)
        shape = tuple((name, _length(values[name])) for name in sorted(values))
        compiled = self.compiled.get((alias, shape))
        if compiled is None:
            compiled = self.compiled[(alias, shape)] = self._compile(alias, values)
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
            if type(value) is int:
                arguments[name] = base
                markers[base] = (name, None)
            else:
                arguments[name] = [base + i for i in range(len(value))]  # type: ignore[arg-type]
                markers.update({base + i: (name, i) for i in range(len(value))})  # type: ignore[arg-type]
        queryset = self.build(**arguments)
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _Compiled(None, (), ())
        names = tuple(alias_ for _, _, alias_ in compiler.select[: compiler.col_count])
        wanted = tuple(getattr(queryset, "_fields", None) or ())
        if names != wanted:
            raise TypeError(f"Statement columns {names} are not those of a values_list {wanted}")
        slots = tuple(_slot(param, markers, arguments) for param in params)
        used = {slot.name for slot in slots if slot.name is not None}
        if used != set(values) - {name for name, v in values.items() if type(v) is not int and not v}:
            raise TypeError(f"Statement arguments {sorted(set(values) - used)} are not parameters of its SQL")
        expressions = [column for column, _, _ in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(expressions).items()
        )
        return _Compiled(sql, slots, converters)


def _slot(param: Any, markers: dict[int, tuple[str, int | None]], arguments: dict[str, Any]) -> _Slot:
    if type(param) is int and param in markers:
        name, index = markers[param]
        return _Slot(name, index)
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
        return value
    return list(value) if slot.index is None else value[slot.index]


def _converted(row: tuple[Any, ...], converters: Any, connection: Any) -> tuple[Any, ...]:
    values = list(row)
    for position, convs, expression in converters:
        value = values[position]
        for convert in convs:
            value = convert(value, expression, connection)
        values[position] = value
    return tuple(values)
