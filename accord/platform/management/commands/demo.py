"""`accord demo`: load the demo data modules contribute, or generate data at a scale."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from accord.platform.setup import demo_load
from accord.platform.setup_scale import demo_generate


class Command(BaseCommand):
    help = (
        "Load the hand-made demo data (default), or with --scale generate realistic data set-based: "
        "per unit of scale 10,000 customers, 200,000 orders, 50,000 contacts and the rest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, help="Generate data at this scale (0.01 is quick).")
        parser.add_argument("--seed", type=int, default=42, help="Same seed, same data.")
        parser.add_argument("--only", action="append", default=[], help="Generator key; repeat for several.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] is None:
            try:
                done = demo_load(progress=lambda label: self.stdout.write(f"Loading {label}…"))
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(f"Demo data loaded: {', '.join(done)}.")
            return
        if options["scale"] <= 0:
            raise CommandError("--scale must be greater than 0.")
        columns = (
            TextColumn("{task.description:<28}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        started = time.perf_counter()
        tasks: dict[str, Any] = {}
        with Progress(*columns) as progress:

            def report(label: str, done: int, total: int) -> None:
                if label not in tasks:
                    tasks[label] = progress.add_task(label, total=total)
                progress.update(tasks[label], completed=done, total=total)

            try:
                demo_generate(
                    scale=options["scale"], seed=options["seed"], progress=report, only=options["only"]
                )
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(f"Generated scale {options['scale']:g} in {time.perf_counter() - started:.1f}s.")
