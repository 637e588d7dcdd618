"""CSV import of customers: one `customer_create` per row (entry point IMPORT), so `customer_created`
fires as for any other customer; the customer extensions' import columns ride along (decision 0058).
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


def import_customer(*, row: dict[str, str], actor: User) -> Customer:
    """One customer per row, through the same service and extension hooks as the API's create."""
    extended = import_values(row, user=actor)
    create = partial(
        customer_create,
        name=row.get("Name", ""),
        parent=_parent(row, actor),
        group=_group(row, actor),
        owner=_owner(row, actor),
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
        errors = {FIELD_COLUMNS.get(name, name): msgs for name, msgs in exc.field_errors.items()}
        raise ValidationFailed(errors) from None


def register() -> None:
    columns = cast(tuple[ImportColumn, ...], _Columns())  # a live view: see `_Columns`
    importers.register(KEY, Importer(KEY, "Customers", ENTITY, columns, import_customer))
