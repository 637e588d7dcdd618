"""`accord lifetime recalculate [--fix]`: recompute every commerce lifetime value and report differences."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Recompute commerce lifetime sales values from scratch; report (and with --fix repair) differences."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["recalculate"], help="What to do.")
        parser.add_argument("--fix", action="store_true", help="Write the recomputed values.")

    def handle(self, *args: Any, **options: Any) -> None:
        from accord.crm_commerce.services.recalculate import lifetime_recalculate

        report = lifetime_recalculate(fix=options["fix"])
        self.stdout.write(f"Checked {report.customers} commerce customer(s).")
        for customer_id, (stored, right) in sorted(report.customer_differences.items())[:SHOWN]:
            self.stdout.write(f"  customer {customer_id}: stored {stored}, recomputed {right}")
        for (account_id, channel_id), (stored, right) in sorted(report.pair_differences.items())[:SHOWN]:
            self.stdout.write(
                f"  account {account_id} channel {channel_id}: stored {stored}, recomputed {right}"
            )
        found = len(report.customer_differences) + len(report.pair_differences)
        if report.clean:
            self.stdout.write(self.style.SUCCESS("All lifetime values are right."))
        elif report.fixed:
            self.stdout.write(self.style.SUCCESS(f"Fixed {found} difference(s)."))
        else:
            raise CommandError(f"{found} difference(s) found; run with --fix to repair them.")
