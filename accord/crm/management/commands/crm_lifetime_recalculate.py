"""`accord crm_lifetime_recalculate`: recompute CRM lifetime values from scratch, report differences."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from accord.crm.services.lifetime import lifetime_recalculate


class Command(BaseCommand):
    help = (
        "Recompute the lifetime sales value of business customers and the current history rows of "
        "b2b channels and won opportunities attached to accounts; print what differed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report the differences, change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = lifetime_recalculate(dry_run=options["dry_run"])
        customers, pairs = report["business_customers"], report["pairs"]
        for row in customers:
            self.stdout.write(
                f"business customer {row['id']}: stored {row['stored']}, expected {row['expected']}"
            )
        for row in pairs:
            channel = row["channel_id"] if row["channel_id"] is not None else "-"
            self.stdout.write(
                f"account {row['account_id']} channel {channel}: "
                f"current {row['current']}, expected {row['expected']}"
            )
        verb = "found" if options["dry_run"] else "repaired"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(customers)} business customer(s) and {len(pairs)} lifetime value(s) {verb}."
            )
        )
