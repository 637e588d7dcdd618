"""What the CRM's bulk services (imports, generated data) share: field errors under the row's path,
set-based checks of referenced ids, and the accounts' own hub rows created in one statement."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models

from accord.crm.models import CustomerAssociation
from accord.platform.errors import ValidationFailed
from accord.platform.models import CurrencyRate, User
from accord.platform.money import base_currency, quantize, validate_currency
from accord.platform.rows import instances_insert

BATCH = 1000


@contextmanager
def row_errors(prefix: str) -> Iterator[None]:
    """Field errors raised while cleaning one row are reported as "rows.<n>.<field>"."""
    try:
        yield
    except ValidationFailed as exc:
        raise ValidationFailed(
            {f"{prefix}.{name}": msgs for name, msgs in exc.field_errors.items()}
        ) from None


def check_ids(
    model: type[models.Model], wanted: Mapping[int, Any], *, field: str, organization_id: int | None
) -> None:
    """Every id referenced by a row ({row index: id or None}) exists in the organization (one query
    per 1,000 ids); else a field error on the first row that names a missing one."""
    ids = sorted({pk for pk in wanted.values() if pk is not None})
    found: set[int] = set()
    manager: Any = model._default_manager
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        found.update(
            manager.filter(pk__in=chunk, organization_id=organization_id).values_list("pk", flat=True)
        )
    for index, pk in sorted(wanted.items()):
        if pk is not None and pk not in found:
            raise ValidationFailed({f"rows.{index}.{field}": "No such record in this organization."})


def row_owner(row: Mapping[str, Any], default: User, index: int) -> User:
    """A row's own owner (same organization, with a business unit), else the default owner."""
    owner = row.get("owner") or default
    if owner.organization_id != default.organization_id:
        raise ValidationFailed({f"rows.{index}.owner_id": "The owner belongs to another organization."})
    if owner.business_unit_id is None:
        raise ValidationFailed({f"rows.{index}.owner_id": "The owner has no business unit."})
    return owner


def account_hub_rows(account_ids: Iterable[int]) -> dict[int, int]:
    """{account id: id of its own ("self") hub row}, creating the missing rows in one statement."""
    ids = sorted(set(account_ids))
    rows: dict[int, int] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        rows.update(
            CustomerAssociation.objects.filter(account_id__in=chunk, source_type__isnull=True).values_list(
                "account_id", "pk"
            )
        )
    missing = [pk for pk in ids if pk not in rows]
    created = instances_insert([CustomerAssociation(account_id=pk) for pk in missing])
    rows.update((row.account_id, row.pk) for row in created)
    return rows


class RateBook:
    """Currency rates of the currencies of a batch, read once: the rate on any day without a query."""

    def __init__(self) -> None:
        self.base = base_currency()
        self._days: dict[str, list[dt.date]] = {}
        self._rates: dict[str, list[Decimal]] = {}

    def _load(self, currency: str) -> None:
        rows = list(
            CurrencyRate.objects.filter(currency=currency)
            .order_by("valid_from")
            .values_list("valid_from", "rate")
        )
        self._days[currency] = [day for day, _ in rows]
        self._rates[currency] = [Decimal(rate) for _, rate in rows]

    def rate(self, currency: str, day: dt.date) -> Decimal | None:
        """Base units per unit of `currency` on `day` (the latest rate on or before it), None if none."""
        if currency == self.base:
            return Decimal(1)
        if currency not in self._days:
            self._load(currency)
        at = bisect.bisect_right(self._days[currency], day)
        return self._rates[currency][at - 1] if at else None

    def money(self, value: Any, *, field: str, day: dt.date) -> tuple[Decimal | None, str, Decimal | None]:
        """(amount, currency, base amount on `day`) of an (amount, currency) pair, or (None, "", None)."""
        amount, currency = value if value is not None else (None, None)
        if amount is None or amount == "":
            return None, "", None
        try:
            number = Decimal(str(amount))
        except (InvalidOperation, ValueError):
            raise ValidationFailed({f"{field}.amount": "Enter a number."}) from None
        if not number.is_finite() or number < 0 or number >= Decimal(10) ** 16:
            raise ValidationFailed({f"{field}.amount": "A non-negative amount below 10^16."})
        code = validate_currency(currency, field=f"{field}.currency")
        rate = self.rate(code, day)
        if rate is None:
            raise ValidationFailed({f"{field}.currency": f"No rate for {code} on {day.isoformat()}."})
        number = number.quantize(Decimal("0.01"))
        return number, code, quantize(number * rate)
