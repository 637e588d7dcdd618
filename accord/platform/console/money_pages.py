"""Console pages for currency rates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest

from accord.platform.console.crud import ConsoleResource, Section
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.models import CurrencyRate
from accord.platform.money import base_currency, currency_rate_set


class CurrencyRateForm(forms.Form):
    currency = forms.CharField(max_length=3, help_text="ISO 4217 code, e.g. EUR.")
    rate = forms.DecimalField(
        max_digits=18, decimal_places=8, help_text="How many units of the base currency one unit is worth."
    )
    valid_from = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class CurrencyRateGrid(Grid):
    entity = "platform.currency_rate"
    export_name = "currency-rates"
    default_sort = "currency"
    search_fields = ("currency",)
    columns = (
        Column("currency", "Currency", sort="currency", link=True),
        Column("rate", "Rate", kind="number", sort="rate"),
        Column("valid_from", "Valid from", kind="date", sort="valid_from"),
    )
    filters = (Filter("valid_from", "Valid from", kind="date_range"),)


class CurrencyRateResource(ConsoleResource):
    entity = "platform.currency_rate"
    name = "currency_rates"
    grid = CurrencyRateGrid
    form = CurrencyRateForm
    can_delete = False

    def title_of(self, obj: CurrencyRate) -> str:
        return f"{obj.currency} from {obj.valid_from:%Y-%m-%d}"

    def initial(self, request: HttpRequest, obj: CurrencyRate) -> dict[str, Any]:
        return {"currency": obj.currency, "rate": obj.rate, "valid_from": obj.valid_from}

    def sections(self, request: HttpRequest, obj: CurrencyRate) -> list[Section]:
        return [
            Section(
                "Rate",
                [
                    ("Currency", obj.currency),
                    ("Rate", f"1 {obj.currency} = {obj.rate} {base_currency()}"),
                    ("Valid from", obj.valid_from),
                ],
            )
        ]

    def create(self, request: HttpRequest, data: dict[str, Any]) -> CurrencyRate:
        return currency_rate_set(actor=request.user, **data)

    def update(self, request: HttpRequest, obj: CurrencyRate, data: dict[str, Any]) -> CurrencyRate:
        return currency_rate_set(actor=request.user, **data)
