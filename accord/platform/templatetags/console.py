"""Template helpers of the console: cell formatting and Bootstrap form fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms, template
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from accord.platform.console.url_cache import url_for

register = template.Library()


@register.simple_tag
def console_url(name: str, pk: int | None = None) -> str:
    """`{% url name %}` or `{% url name pk %}` (`<int:pk>` views), from a pattern reversed once."""
    return url_for(name, pk)


BADGES = {
    "succeeded": "success",
    "failed": "danger",
    "running": "primary",
    "queued": "secondary",
}


EMPTY = mark_safe('<span class="text-body-tertiary">—</span>')  # noqa: S308 - a constant


@register.simple_tag
def cell(column: Any, obj: Any) -> Any:
    return format_value(column.get(obj), column.kind)


@register.filter
def format_value(value: Any, kind: str = "text") -> Any:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool) or kind == "bool":
        return format_html(
            '<span class="badge text-bg-{}">{}</span>',
            "success" if value else "secondary",
            "Yes" if value else "No",
        )
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value), "Y-m-d H:i")
    if isinstance(value, dt.date):
        return date_format(value, "Y-m-d")
    if isinstance(value, Decimal | int | float) and kind in ("number", "money"):
        return number_format(value, decimal_pos=2 if kind == "money" else None, force_grouping=True)
    if kind == "badge":
        return format_html(
            '<span class="badge text-bg-{}">{}</span>', BADGES.get(str(value).lower(), "info"), value
        )
    if hasattr(value, "all"):
        items = [str(v) for v in value.all()]
        return ", ".join(items) if items else EMPTY
    return value


@register.inclusion_tag("platform/console/partials/field.html")
def bs_field(field: forms.BoundField) -> dict[str, Any]:
    widget = field.field.widget
    css = "form-control"
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    classes = css + (" is-invalid" if field.errors else "")
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = f"{existing} {classes}".strip() if css not in existing else existing
    return {"field": field, "is_checkbox": isinstance(widget, forms.CheckboxInput)}


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return None


@register.filter
def field_of(form: forms.Form, name: str) -> SafeString | forms.BoundField | None:
    try:
        return form[name]
    except KeyError:
        return None


@register.filter
def sort_url_for(page: Any, column: Any) -> str:
    return str(page.sort_url(column))


@register.filter
def sort_state_for(page: Any, column: Any) -> str:
    return str(page.sort_state(column))


@register.filter
def row_url(grid: Any, row: Any) -> str | None:
    return grid.row_url(row)  # type: ignore[no-any-return]
