"""`accord worker`: a background-job worker (huey consumer) for the configured queue."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Run a worker that executes background jobs (imports, strategy switches, recalculations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threads", type=int, default=None, help="Worker threads (ACCORD_WORKER_THREADS)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        extra = ["--workers", str(options["threads"])] if options["threads"] else []
        call_command("run_huey", *extra)
