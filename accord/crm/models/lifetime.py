"""Lifetime sales value history: append-only rows per (account, channel), one of them current."""

from __future__ import annotations

from django.db import models


class LifetimeValueHistory(models.Model):
    """The amount is in the base currency. Channel NULL = won opportunities attached directly to
    the account. The current row of a pair is the one with `is_current`; older rows stay as a
    timeline."""

    account = models.ForeignKey("crm.Account", on_delete=models.CASCADE, related_name="lifetime_history")
    channel = models.ForeignKey(
        "crm.Channel", on_delete=models.CASCADE, null=True, blank=True, related_name="lifetime_history"
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "lifetime value history"
        indexes = [
            models.Index(fields=["account", "channel", "is_current"], name="crm_ltv_pair"),
            models.Index(fields=["is_current"], name="crm_ltv_current"),
            models.Index(fields=["channel", "created_at"], name="crm_ltv_channel_time"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "channel"],
                condition=models.Q(is_current=True, channel__isnull=False),
                name="crm_ltv_one_current_per_channel",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(is_current=True, channel__isnull=True),
                name="crm_ltv_one_current_direct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account_id}/{self.channel_id or '-'}: {self.amount}"
