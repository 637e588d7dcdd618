"""Currency rates: how many units of the base currency one unit of a currency was worth, from a date."""

from __future__ import annotations

from django.db import models


class CurrencyRate(models.Model):
    currency = models.CharField(max_length=3)
    rate = models.DecimalField(max_digits=18, decimal_places=8, help_text="Base-currency units per unit.")
    valid_from = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="currency_rate_unique_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="currency_rate_positive"),
        ]
        indexes = [models.Index(fields=["currency", "valid_from"], name="currency_rate_lookup")]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} (from {self.valid_from})"
