"""CSV import of customers: one `customer_create` per row (entry point IMPORT), so `customer_created`
fires as for any other customer; the customer extensions' import columns ride along (decision 0058).
Sales representatives and the row's one address go through the same service arguments as the API's.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any, TypeVar, cast, overload

from django.db.models import Model, QuerySet

from accord.commerce.models import Customer, CustomerGroup, EntryPoint, InternalRating, PaymentTerm
from accord.commerce.registries import customer_write_extended, import_columns, import_values
from accord.commerce.services.customers import customer_create
from accord.platform import acl
from accord.platform.errors import ValidationFailed
from accord.platform.imports import ImportColumn, Importer, importers
from accord.platform.models import User

KEY = "commerce.customers"
ENTITY = "commerce.customer"
PARENT_ID, PARENT_NAME = "Parent External Id", "Parent Name"
REPS = "Sales Representatives"
DEFAULT_BILLING, DEFAULT_SHIPPING = "Default Billing", "Default Shipping"
# One address per row: the address service's field → its column.
ADDRESS_COLUMNS = {
    "label": "Address Label",
    "street": "Street",
    "street2": "Street 2",
    "city": "City",
    "postal_code": "Postal Code",
    "region": "Region",
    "country": "Country",
    "types": "Address Types",
}
_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")
COLUMNS = (
    ImportColumn("Name", required=True),
    ImportColumn(PARENT_ID, help="external id of a customer above it (earlier rows count)"),
    ImportColumn(PARENT_NAME, help="exact name of the parent, when it has no external id"),
    ImportColumn("Group", help="name of a customer group"),
    ImportColumn("Payment Term", help=", ".join(PaymentTerm.values)),
    ImportColumn("Tax Code"),
    ImportColumn("Internal Rating", help=", ".join(InternalRating.values)),
    ImportColumn("External Id", help="unique; lets later rows name this customer as their parent"),
    ImportColumn("Owner", help="username; empty: you"),
    ImportColumn(REPS, help="usernames separated by ;"),
    ImportColumn("Address Label", help="one address per row; all address columns empty: none"),
    ImportColumn("Street", help="required when the row has an address"),
    ImportColumn("Street 2"),
    ImportColumn("City", help="required when the row has an address"),
    ImportColumn("Postal Code"),
    ImportColumn("Region"),
    ImportColumn("Country", help="ISO 3166-1 alpha-2 code, e.g. DE; required when the row has an address"),
    ImportColumn("Address Types", help="billing;shipping, billing or shipping"),
    ImportColumn(DEFAULT_BILLING, help="yes/no; needs the billing type"),
    ImportColumn(DEFAULT_SHIPPING, help="yes/no; needs the shipping type"),
)
M = TypeVar("M", bound=Model)
# The service's field names → the file's columns, so a row error names the column.
FIELD_COLUMNS = {
    "name": "Name",
    "parent_id": PARENT_ID,
    "group_id": "Group",
    "payment_term": "Payment Term",
    "tax_code": "Tax Code",
    "internal_rating": "Internal Rating",
    "external_id": "External Id",
    "owner_id": "Owner",
    "sales_representative_ids": REPS,
    **{f"addresses.0.{field}": column for field, column in ADDRESS_COLUMNS.items()},
}


class _Columns(Sequence[ImportColumn]):
    """Commerce's columns, then the ones of the extensions registered now (read at each use)."""

    def _all(self) -> list[ImportColumn]:
        added = [ImportColumn(name, help="added by an installed module") for name in import_columns()]
        return [*COLUMNS, *added]

    @overload
    def __getitem__(self, index: int) -> ImportColumn: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[ImportColumn]: ...
    def __getitem__(self, index: int | slice) -> ImportColumn | Sequence[ImportColumn]:
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self) -> Iterator[ImportColumn]:
        return iter(self._all())


def _choice(value: str, choices: Any) -> str:
    """A choice by its value or its label (any case); unknown values are left for the service."""
    wanted = value.strip().lower()
    for choice_value, label in choices.choices:
        if wanted in (choice_value.lower(), str(label).lower()):
            return str(choice_value)
    return value


def _one(qs: QuerySet[M], column: str, what: str) -> M:
    found = list(qs[:2])
    if not found:
        raise ValidationFailed({column: f"There is no {what} you may view."})
    if len(found) > 1:
        raise ValidationFailed({column: f"More than one {what}; name it by its external id."})
    return found[0]


def _parent(row: dict[str, str], actor: User) -> Customer | None:
    """By external id within the organization, else by exact name; visible to the importing user."""
    qs = acl.visible(actor, ENTITY, Customer.objects.filter(organization_id=actor.organization_id or 0))
    if external_id := row.get(PARENT_ID, ""):
        return _one(qs.filter(external_id=external_id), PARENT_ID, f"customer {external_id!r}")
    if name := row.get(PARENT_NAME, ""):
        return _one(qs.filter(name=name), PARENT_NAME, f"customer named {name!r}")
    return None


def _group(row: dict[str, str], actor: User) -> CustomerGroup | None:
    if not (name := row.get("Group", "")):
        return None
    groups = CustomerGroup.objects.filter(organization_id=actor.organization_id or 0, name=name)
    return _one(acl.visible(actor, "commerce.customer_group", groups), "Group", f"group {name!r}")


def _owner(row: dict[str, str], actor: User) -> User | None:
    """Handing customers to someone else needs the assign grant, as in the API."""
    if not (username := row.get("Owner", "")) or username == actor.username:
        return None
    owner = User.objects.filter(organization_id=actor.organization_id or 0, username=username).first()
    if owner is None:
        raise ValidationFailed({"Owner": f"There is no user {username!r} in your organization."})
    if not acl.can(actor, ENTITY, "assign"):
        raise ValidationFailed({"Owner": "You may not give customers to other users."})
    return owner


def _sales_representatives(row: dict[str, str], actor: User) -> list[User]:
    """Active users of the importer's organization by username, as the console form offers them."""
    names = list(dict.fromkeys(n.strip() for n in row.get(REPS, "").split(";") if n.strip()))
    if not names:
        return []
    users = User.objects.filter(organization_id=actor.organization_id or 0, is_active=True)
    found = {u.username: u for u in users.filter(username__in=names)}
    if unknown := [n for n in names if n not in found]:
        listed = ", ".join(repr(n) for n in unknown)
        raise ValidationFailed({REPS: f"There is no active user {listed} in your organization."})
    return [found[n] for n in names]


def _yes(row: dict[str, str], column: str) -> bool:
    value = row.get(column, "").strip().lower()
    if value not in (*_YES, *_NO):
        raise ValidationFailed({column: "Write yes or no."})
    return value in _YES


def _address(row: dict[str, str]) -> dict[str, Any] | None:
    """The row's address in the address service's input shape; None when its columns are all empty."""
    defaults = [
        kind
        for kind, column in (("billing", DEFAULT_BILLING), ("shipping", DEFAULT_SHIPPING))
        if _yes(row, column)
    ]
    values = {field: row.get(column, "") for field, column in ADDRESS_COLUMNS.items() if field != "types"}
    types = [t.strip().lower() for t in row.get(ADDRESS_COLUMNS["types"], "").split(";") if t.strip()]
    if not any(values.values()) and not types and not defaults:
        return None
    return {**values, "types": types, "default_types": defaults}


def _columns_of(errors: dict[str, list[str]], address: dict[str, Any] | None) -> dict[str, list[str]]:
    """Service fields → columns; a default without its type names the default's column."""
    mapped: dict[str, list[str]] = {}
    for name, messages in errors.items():
        column = FIELD_COLUMNS.get(name, name)
        if name == "addresses.0.default_types" and address is not None:
            untyped = [t for t in address["default_types"] if t not in address["types"]]
            column = DEFAULT_BILLING if "billing" in untyped else DEFAULT_SHIPPING
        mapped.setdefault(column, []).extend(messages)
    return mapped


def import_customer(*, row: dict[str, str], actor: User) -> Customer:
    """One customer per row, through the same service and extension hooks as the API's create."""
    extended = import_values(row, user=actor)
    address = _address(row)
    create = partial(
        customer_create,
        name=row.get("Name", ""),
        parent=_parent(row, actor),
        group=_group(row, actor),
        owner=_owner(row, actor),
        sales_representatives=_sales_representatives(row, actor),
        addresses=[address] if address else [],
        payment_term=_choice(row.get("Payment Term", ""), PaymentTerm),
        internal_rating=_choice(row.get("Internal Rating", ""), InternalRating),
        tax_code=row.get("Tax Code", ""),
        external_id=row.get("External Id", ""),
        entry_point=EntryPoint.IMPORT,
        actor=actor,
    )
    try:
        return customer_write_extended(create, values=extended, actor=actor, created=True)
    except ValidationFailed as exc:
        raise ValidationFailed(_columns_of(exc.field_errors, address)) from None


def register() -> None:
    columns = cast(tuple[ImportColumn, ...], _Columns())  # a live view: see `_Columns`
    importers.register(KEY, Importer(KEY, "Customers", ENTITY, columns, import_customer))
