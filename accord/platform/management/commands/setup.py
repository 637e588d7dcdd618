"""`accord setup`: migrate, create the administrator and demo data on first run; print how to log in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accord.platform.setup import demo_load, install_ensure


class Command(BaseCommand):
    help = "Prepare the database: migrate, create the administrator and (on first run) demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data on first run.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        result = install_ensure()
        if result.created and not options["no_demo"]:
            demo_load(progress=lambda label: self.stdout.write(f"  demo data: {label}"))
        url = f"http://{settings.ACCORD_HOST}:{settings.ACCORD_PORT}/console/"
        self.stdout.write("")
        self.stdout.write(f"Console: {url}")
        if result.created:
            self.stdout.write(f"Log in as {result.username} with password {result.password}")
        self.stdout.write(f"(credentials saved in {result.credentials_file})")
