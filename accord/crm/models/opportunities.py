"""Opportunities: a deal for an account or for any customer of any channel (through the hub)."""

from __future__ import annotations

from django.db import models

from accord.platform.models import OwnedModel


class OpportunityStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "Open"
    IDENTIFICATION_ALIGNMENT = "identification_alignment", "Identification & Alignment"
    NEEDS_ANALYSIS = "needs_analysis", "Needs Analysis"
    SOLUTION_DEVELOPMENT = "solution_development", "Solution Development"
    NEGOTIATION = "negotiation", "Negotiation"
    WON = "won", "Closed Won"
    LOST = "lost", "Closed Lost"


CLOSED_STATUSES = frozenset({OpportunityStatus.WON.value, OpportunityStatus.LOST.value})
OPEN_STATUSES = tuple(s for s in OpportunityStatus.values if s not in CLOSED_STATUSES)


class CloseReason(models.TextChoices):
    OUTSOLD = "outsold", "Outsold"
    WON = "won", "Won"
    CANCELLED = "cancelled", "Cancelled"


class Opportunity(OwnedModel):
    """Money is an amount + its currency; the base-currency value is fixed when the deal closes
    (NULL while open, so open deals convert at the current rate)."""

    name = models.CharField(max_length=255, db_index=True)
    status = models.CharField(
        max_length=32, choices=OpportunityStatus.choices, default=OpportunityStatus.IN_PROGRESS, db_index=True
    )
    probability = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, help_text="Percent, 0–100."
    )
    budget_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    budget_currency = models.CharField(max_length=3, blank=True, db_index=True)
    base_budget_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    close_revenue_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    close_revenue_currency = models.CharField(max_length=3, blank=True)
    base_close_revenue_amount = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    close_date = models.DateField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    close_reason = models.CharField(max_length=20, choices=CloseReason.choices, blank=True)
    customer_association = models.ForeignKey(
        "crm.CustomerAssociation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    contact = models.ForeignKey(
        "crm.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    lead = models.ForeignKey(
        "crm.Lead", on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    customer_need = models.TextField(blank=True)
    proposed_solution = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(probability__isnull=True)
                | models.Q(probability__gte=0, probability__lte=100),
                name="crm_opportunity_probability_range",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_amount__isnull=True) | models.Q(budget_amount__gte=0),
                name="crm_opportunity_budget_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(close_revenue_amount__isnull=True) | models.Q(close_revenue_amount__gte=0),
                name="crm_opportunity_revenue_positive",
            ),
        ]
        indexes = [models.Index(fields=["status", "close_date"], name="crm_opportunity_forecast")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES
