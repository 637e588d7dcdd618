"""Money: amounts in a currency, and their value in the organization's base currency.

Rates are kept per currency and day (`CurrencyRate`); a conversion uses the rate valid on the
given day (the latest one on or before it). Documents fix the base value when it matters (an
opportunity when it closes, a payment when it is received), so later rate changes never rewrite
history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.platform.errors import ValidationFailed
from accord.platform.models import CurrencyRate

CENT = Decimal("0.01")
KNOWN_CURRENCIES = frozenset(
    "USD EUR GBP CHF CAD AUD JPY SEK NOK DKK PLN CZK HUF CNY INR BRL MXN ZAR NZD SGD HKD".split()  # noqa: SIM905
)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def as_json(self) -> dict[str, str]:
        return {"amount": amount_text(self.amount), "currency": self.currency}


def amount_text(amount: Decimal) -> str:
    """An amount as the faces write it: a string with two decimals ("12.50")."""
    return str(amount.quantize(CENT))


def price_text(value: Decimal) -> str:
    """A unit price as the faces write it: two decimals at least, up to the four it may carry."""
    value = value.normalize()
    return str(value.quantize(CENT) if -value.as_tuple().exponent <= 2 else value)  # type: ignore[operator]


def decimal_text(value: Decimal) -> str:
    """A quantity or a rate as the faces write it: no trailing zeros, no exponent ("2.5", "10")."""
    return f"{value.normalize():f}"


def quantize(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def base_currency() -> str:
    from accord.platform.services.settings import setting_get

    return str(setting_get("general.base_currency"))


def validate_currency(code: Any, *, field: str = "currency") -> str:
    if not isinstance(code, str) or code.upper() not in KNOWN_CURRENCIES:
        raise ValidationFailed({field: f"Unknown currency {code!r}; use an ISO 4217 code."})
    return code.upper()


def rate_on(currency: str, day: dt.date | None = None) -> Decimal:
    """Base-currency units per unit of `currency` on a day (1 for the base currency itself)."""
    currency = currency.upper()
    if currency == base_currency():
        return Decimal(1)
    day = day or timezone.localdate()
    rate = (
        CurrencyRate.objects.filter(currency=currency, valid_from__lte=day)
        .order_by("-valid_from")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        message = f"No rate for {currency} on {day.isoformat()}; add one under System → Currency rates."
        raise ValidationFailed({"currency": message})
    return Decimal(rate)


def to_base(amount: Decimal, currency: str, day: dt.date | None = None) -> Decimal:
    return quantize(Decimal(amount) * rate_on(currency, day))


def currency_rate_set(
    *, currency: str, rate: Decimal, valid_from: dt.date, actor: Any = None
) -> CurrencyRate:
    """Record (or correct) the rate of a currency from a day on."""
    from accord.platform import audit

    currency = validate_currency(currency)
    if currency == base_currency():
        raise ValidationFailed({"currency": "The base currency always has the rate 1."})
    try:
        rate = Decimal(rate)
    except (TypeError, ValueError, ArithmeticError):
        raise ValidationFailed({"rate": "Enter a number."}) from None
    if rate <= 0:
        raise ValidationFailed({"rate": "A rate is greater than zero."})
    with transaction.atomic():
        row = (
            CurrencyRate.objects.select_for_update().filter(currency=currency, valid_from=valid_from).first()
        )
        if row is None:
            row = CurrencyRate.objects.create(currency=currency, rate=rate, valid_from=valid_from)
            audit.record_create(instance=row, actor=actor)
        else:
            before = audit.snapshot(row)
            row.rate = rate
            row.save(update_fields=["rate"])
            audit.record_update(instance=row, actor=actor, before=before)
    return row
