"""Extension points commerce offers to the modules installed beside it (which `commerce` never imports).

- `customer_extensions`: what another module adds to the customer's console form, view page and API
  (the bridge adds the customer's CRM account: decision 0058). With none registered, the customer's
  faces behave exactly as if this module did not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from pydantic import BaseModel, ValidationError, create_model

from accord.platform.errors import ValidationFailed
from accord.platform.registries import Registry

# (type, default or pydantic FieldInfo), as `pydantic.create_model` takes them.
FieldDefinition = tuple[Any, Any]
# Attribute of a Customer instance holding its extensions' API output ({key: value}).
OUTPUT_ATTRIBUTE = "extension_output"
# Key of the customer form's cleaned data holding {extension key: {field: value}}.
FORM_VALUES = "_extensions"
C = TypeVar("C")


@dataclass(frozen=True)
class CustomerExtension:
    """What one module adds to the customer's faces; every part is optional.

    Console form: `form_fields(user=, customer=)` returns {name: django form field}, built per
    request (customer is None on create; initial values set on the fields, which validate
    themselves). View page: `panel(customer=, request=)` returns safe HTML shown under `label`
    (empty: no panel). API: `api_input` / `api_output` are pydantic field definitions of the keys
    that POST and PATCH accept / that every customer output carries (in OpenAPI when registered at
    startup); `api_parse(values=, user=, customer=)` turns the keys sent (type-checked) into the
    values `save` takes, raising ValidationFailed on the key; `output(customers=, user=)` returns
    {customer id: {key: value}} for a whole page in a bounded number of queries.
    CSV import: `import_columns` maps a column name to one of its `api_input` keys; a non-empty cell
    is sent as that key (same checks and `api_parse`), its errors reported on the column.
    Writes, from both faces: `creating(values=, actor=)` is a context manager around a create (it
    decides what the listeners of `customer_created` do); `save(customer=, values=, actor=,
    created=)` runs after the create/update in its transaction; ValidationFailed rolls both back.
    `values` are the extension's own: its cleaned form fields, or what `api_parse` returned.
    """

    key: str
    label: str = ""
    order: int = 100
    form_fields: Callable[..., dict[str, forms.Field]] | None = None
    panel: Callable[..., str] | None = None
    api_input: Mapping[str, FieldDefinition] = field(default_factory=dict)
    api_output: Mapping[str, FieldDefinition] = field(default_factory=dict)
    api_parse: Callable[..., dict[str, Any]] | None = None
    output: Callable[..., Mapping[int, Mapping[str, Any]]] | None = None
    creating: Callable[..., AbstractContextManager[Any]] | None = None
    save: Callable[..., None] | None = None
    import_columns: Mapping[str, str] = field(default_factory=dict)


customer_extensions: Registry[CustomerExtension] = Registry("customer extensions")


def extensions_ordered() -> list[CustomerExtension]:
    return sorted(customer_extensions, key=lambda ext: (ext.order, ext.key))


# --- console ---------------------------------------------------------------------------------------


def form_fields_add(form: forms.BaseForm, *, user: Any, customer: Any) -> dict[str, list[str]]:
    """Add every extension's fields to the customer form; returns {extension key: its field names}."""
    owned: dict[str, list[str]] = {}
    for ext in extensions_ordered():
        if ext.form_fields is None:
            continue
        fields = ext.form_fields(user=user, customer=customer)
        clash = set(fields) & (set(form.fields) | {FORM_VALUES})
        if clash:
            raise ImproperlyConfigured(f"{ext.key}: the customer form already has {sorted(clash)}")
        form.fields.update(fields)
        if fields:
            owned[ext.key] = list(fields)
    return owned


def panels_render(customer: Any, request: Any) -> list[tuple[str, str]]:
    """(title, html) of the extensions' panels on the customer view page."""
    panels = []
    for ext in extensions_ordered():
        html = ext.panel(customer=customer, request=request) if ext.panel else ""
        if html:
            panels.append((ext.label or ext.key, html))
    return panels


# --- writes ----------------------------------------------------------------------------------------


def customer_write_extended(
    write: Callable[[], C], *, values: Mapping[str, Mapping[str, Any]], actor: Any, created: bool
) -> C:
    """Run a customer create/update and the extensions' parts of it in one transaction."""
    active = [ext for ext in extensions_ordered() if ext.key in values]
    with transaction.atomic(), ExitStack() as stack:
        if created:
            for ext in active:
                if ext.creating is not None:
                    stack.enter_context(ext.creating(values=dict(values[ext.key]), actor=actor))
        customer = write()
        for ext in active:
            if ext.save is not None:
                ext.save(customer=customer, values=dict(values[ext.key]), actor=actor, created=created)
    return customer


# --- API -------------------------------------------------------------------------------------------


def api_fields(kind: str) -> dict[str, FieldDefinition]:
    """The keys that the registered extensions add to customer `input` or `output`."""
    fields: dict[str, FieldDefinition] = {}
    for ext in extensions_ordered():
        for name, definition in (ext.api_input if kind == "input" else ext.api_output).items():
            if name in fields:
                raise ImproperlyConfigured(f"{ext.key}: customer API key {name!r} is already taken")
            fields[name] = definition
    return fields


_checkers: dict[str, tuple[CustomerExtension, type[BaseModel]]] = {}


def _checker(ext: CustomerExtension) -> type[BaseModel]:
    cached = _checkers.get(ext.key)
    if cached is None or cached[0] is not ext:
        model = create_model(f"{ext.key.replace('.', '_')}_input", **dict(ext.api_input))  # type: ignore[call-overload]
        cached = _checkers[ext.key] = (ext, model)
    return cached[1]


def api_values(body: Mapping[str, Any], *, user: Any, customer: Any) -> dict[str, dict[str, Any]]:
    """Each extension's keys sent with a customer create/update, checked and parsed (422 on the key).

    An extension none of whose keys was sent is left out (PATCH: unchanged; POST: its default)."""
    values: dict[str, dict[str, Any]] = {}
    for ext in extensions_ordered():
        sent = {name: body[name] for name in ext.api_input if name in body}
        if not sent:
            continue
        try:
            checked = _checker(ext).model_validate(sent).model_dump(include=set(sent))
        except ValidationError as exc:
            errors: dict[str, list[str]] = {}
            for error in exc.errors():
                errors.setdefault(".".join(str(p) for p in error["loc"]), []).append(error["msg"])
            raise ValidationFailed(errors) from None
        parse = ext.api_parse
        values[ext.key] = parse(values=checked, user=user, customer=customer) if parse else checked
    return values


def import_columns() -> dict[str, str]:
    """{CSV column: API input key} the registered extensions add to the customer import."""
    return {column: key for ext in extensions_ordered() for column, key in ext.import_columns.items()}


def import_values(row: Mapping[str, str], *, user: Any) -> dict[str, dict[str, Any]]:
    """The extensions' values of one CSV row, parsed as the API's; errors named by column."""
    columns = import_columns()
    body = {key: row[column] for column, key in columns.items() if row.get(column)}
    try:
        return api_values(body, user=user, customer=None)
    except ValidationFailed as exc:
        by_key = {key: column for column, key in columns.items()}
        raise ValidationFailed(
            {by_key.get(name.split(".")[0], name): msgs for name, msgs in exc.field_errors.items()}
        ) from None


def api_output_attach(customers: Sequence[Any], *, user: Any) -> None:
    """Give each customer its extensions' output keys (one `output` call per extension for all)."""
    if not customers:
        return
    blank = dict.fromkeys(api_fields("output"))
    rows: dict[int, dict[str, Any]] = {customer.pk: dict(blank) for customer in customers}
    for ext in extensions_ordered():
        if ext.output is None:
            continue
        for pk, data in ext.output(customers=list(customers), user=user).items():
            if pk in rows:
                rows[pk].update(data)
    for customer in customers:
        setattr(customer, OUTPUT_ATTRIBUTE, rows[customer.pk])
