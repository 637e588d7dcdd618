"""`accord import IMPORTER FILE --user NAME`: import a CSV file now, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from accord.platform.errors import DomainError
from accord.platform.imports import import_start, importers
from accord.platform.jobs import job_run
from accord.platform.models import JobStatus, User


class Command(BaseCommand):
    help = "Import a CSV file (the first line names the columns). `--list` shows the importers."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("importer", nargs="?")
        parser.add_argument("file", nargs="?")
        parser.add_argument("--user", default="admin", help="Who imports (needs create permission).")
        parser.add_argument("--list", action="store_true", help="List the importers and their columns.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"] or not options["importer"]:
            for importer in importers:
                columns = ", ".join(c.name + ("*" if c.required else "") for c in importer.columns)
                self.stdout.write(f"{importer.key}\t{importer.label}\t{columns}")
            return
        if not options["file"]:
            raise CommandError("Give the CSV file to import.")
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"There is no active user named {options['user']!r}.")
        try:
            job = import_start(
                importer_key=options["importer"],
                content=path.read_bytes(),
                actor=actor,
                filename=path.name,
                queue=False,
            )
        except DomainError as exc:
            raise CommandError("; ".join(f"{e['field']}: {e['message']}" for e in exc.as_errors())) from None
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns) as progress:
            task = progress.add_task(f"Importing {path.name}", total=None)
            job = job_run(
                job_id=job.pk, listener=lambda done, total: progress.update(task, completed=done, total=total)
            )
        for error in job.errors.all()[:50]:
            self.stderr.write(f"line {error.row}: {error.field + ': ' if error.field else ''}{error.message}")
        if job.status != JobStatus.SUCCEEDED:
            raise CommandError(f"The import failed: {job.error}")
        result = job.result or {}
        self.stdout.write(f"Imported {result.get('imported', 0)} row(s); {result.get('failed', 0)} refused.")
        if result.get("failed"):
            raise CommandError(f"{result['failed']} row(s) were refused (see above).")
