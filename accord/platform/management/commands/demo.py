"""`accord demo`: load the demo data that installed modules contribute."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from accord.platform.setup import demo_load


class Command(BaseCommand):
    help = "Load demo data from every installed module (run `accord setup` first)."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = demo_load(progress=lambda label: self.stdout.write(f"Loading {label}…"))
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Demo data loaded: {', '.join(done)}.")
