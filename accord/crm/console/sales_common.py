"""Helpers of the sales console pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from accord.platform.errors import ValidationFailed

FIELD_MAP = {
    "budget.amount": "budget_amount",
    "budget.currency": "budget_currency",
    "close_revenue.amount": "close_revenue_amount",
    "close_revenue.currency": "close_revenue_currency",
    "customer_association_id": "account",
}


def _form_name(name: str) -> str:
    if name in FIELD_MAP:
        return FIELD_MAP[name]
    head = name.split(".")[0]
    return head if head in ("emails", "phones") else name


@contextmanager
def form_fields() -> Iterator[None]:
    """Rename a service's error fields (API paths) to the form's fields."""
    try:
        yield
    except ValidationFailed as exc:
        renamed: dict[str, list[str]] = {}
        for name, messages in exc.field_errors.items():
            renamed.setdefault(_form_name(name), []).extend(messages)
        raise ValidationFailed(renamed, exc.message) from None


def money(data: dict, prefix: str) -> tuple | None:
    amount = data.get(f"{prefix}_amount")
    if amount is None:
        return None
    return amount, data.get(f"{prefix}_currency") or None
