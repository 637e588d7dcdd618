"""List conventions: `?page=1&page_size=50&sort=-created_at` -> {"count": N, "count_exact": true,
"items": [...]}."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpResponse
from ninja import Field, Schema

from accord.platform.api.renderer import render_json
from accord.platform.counting import Count, count_capped
from accord.platform.errors import ValidationFailed

MAX_PAGE_SIZE = 200


class ListParams(Schema):
    page: int = Field(1, ge=1, description="1-based page number.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page, at most 200.")
    sort: str | None = Field(None, description="A field name, `-` in front for descending.")
    count: Literal["exact"] | None = Field(
        None,
        description="`exact`: count every row, however many. By default `count` is exact up to "
        "ACCORD_COUNT_LIMIT (10,000) rows; above it `count_exact` is false and `count` is that limit.",
    )


def page_window(
    queryset: QuerySet[Any],
    params: ListParams,
    *,
    sorts: tuple[str, ...],
    default_sort: str = "-id",
) -> tuple[Count, QuerySet[Any]]:
    """The count and the sorted (by an allowed field only) slice of a page, for lists shaping their rows."""
    sort = params.sort or default_sort
    if sort.lstrip("-") not in sorts:
        allowed = ", ".join(sorts)
        raise ValidationFailed({"query.sort": f"Cannot sort by {sort!r}; allowed: {allowed}."})
    ordered = queryset.order_by(sort, "-pk" if sort.startswith("-") else "pk")
    start = (params.page - 1) * params.page_size
    return count_capped(queryset, exact=params.count == "exact"), ordered[start : start + params.page_size]


def paginate(
    queryset: QuerySet[Any],
    params: ListParams,
    *,
    sorts: tuple[str, ...],
    default_sort: str = "-id",
) -> dict[str, Any]:
    """Sort (by an allowed field only), count and slice a queryset."""
    count, window = page_window(queryset, params, sorts=sorts, default_sort=default_sort)
    return page_body(count, list(window))


def page_rows(
    queryset: QuerySet[Any],
    params: ListParams,
    item: type[Schema],
    columns: Iterable[str],
    build: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    *,
    sorts: tuple[str, ...],
    default_sort: str = "-id",
    expressions: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """A list page of `item` from columns (decision 0087): the window's `values(*columns,
    **expressions)`, completed by `build` (collections, money) and written by `page_built`."""
    count, window = page_window(queryset, params, sorts=sorts, default_sort=default_sort)
    return page_built(item, count, build(list(window.values(*columns, **(expressions or {})))))


def page_body(count: Count, items: list[Any]) -> dict[str, Any]:
    """The one shape of a list page."""
    return {"count": count.value, "count_exact": count.exact, "items": items}


@cache
def output_fields(item: type[Schema]) -> frozenset[str]:
    """The keys `item` writes (fields marked `exclude` are not written)."""
    return frozenset(name for name, info in item.model_fields.items() if not info.exclude)


def page_built(item: type[Schema], count: Count, rows: Iterable[Mapping[str, Any]]) -> HttpResponse:
    """The `{"count", "items"}` page of rows that already hold what `item` writes, typed as the
    database gives them, rendered as they are.

    Neither validated nor serialized by pydantic: on a page of 50 that cost more than the page's
    queries. The rows must be what the schema would write (the list tests compare both); a row
    missing a key is a programming error. OpenAPI still documents the page as `page_of(item)`.
    """
    keys = output_fields(item)
    items = list(rows)
    for row in items:
        missing = keys - row.keys()
        if missing:
            raise TypeError(f"{item.__name__} row without {sorted(missing)}")
    return HttpResponse(render_json(page_body(count, items)), content_type="application/json")


class ErrorItem(Schema):
    field: str
    message: str


class ErrorSchema(Schema):
    status: int
    code: str
    message: str
    errors: list[ErrorItem]


ERRORS = {frozenset([400, 401, 403, 404, 409, 422]): ErrorSchema}


_PAGES: dict[type[Schema], type[Schema]] = {}


def page_of(item: type[Schema]) -> type[Schema]:
    """The `{"count": N, "items": [...]}` schema of a list of `item`."""
    if item not in _PAGES:
        from pydantic import create_model

        _PAGES[item] = create_model(  # type: ignore[call-overload]
            f"{item.__name__.removesuffix('Out')}Page",
            __base__=Schema,
            count=(int, ...),
            count_exact=(bool, Field(True, description="False: there are more than `count` rows.")),
            items=(list[item], ...),
        )
    return _PAGES[item]
