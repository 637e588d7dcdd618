"""`accord bench`: run the registered benchmark suites, print a table, write JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from accord.platform import bench_db
from accord.platform.bench import BenchContext, bench_suites, write_json
from accord.platform.dbstats import dead_rows_remove


class Command(BaseCommand):
    help = "Measure Accord's operations beside the floor the database sets for the same work."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", default=[], help="Suite key; repeat for several.")
        parser.add_argument("--scale", type=float, default=0.01, help="Data scale the suites generate.")
        parser.add_argument("--runs", type=int, default=5, help="Runs per figure (median and spread).")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--base-url", help="A running `accord serve` for the HTTP suites.")
        parser.add_argument(
            "--json", default=None, help="Where to write the results (default: var/bench/<db>-<scale>.json)."
        )
        parser.add_argument("--list", action="store_true", help="List the suites and exit.")
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Drop and regenerate the bench database of this scale and seed.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        suites = sorted(bench_suites, key=lambda s: (s.order, s.key))
        if options["list"]:
            for suite in suites:
                self.stdout.write(f"{suite.key}\t{suite.label}")
            return
        unknown = set(options["only"]) - {s.key for s in suites}
        if unknown:
            raise CommandError(f"Unknown suite(s): {', '.join(sorted(unknown))}. See `accord bench --list`.")
        if options["runs"] < 1 or options["scale"] <= 0:
            raise CommandError("--runs must be at least 1 and --scale greater than 0.")
        chosen = [s for s in suites if not options["only"] or s.key in options["only"]]
        if not chosen:
            raise CommandError("No benchmark suite is registered by the installed modules.")
        if not os.environ.get(bench_db.CHILD_FLAG):
            self._run_in_bench_database(options)
            return
        console = Console()
        ctx = BenchContext(
            scale=options["scale"],
            runs=options["runs"],
            seed=options["seed"],
            base_url=options["base_url"],
            log=lambda msg: console.print(f"[dim]{msg}[/dim]"),
        )
        for suite in chosen:
            console.print(f"[bold]{suite.label}[/bold]")
            suite.run(ctx)
            # Suites roll their writes back; the next one should not pay for the dead rows.
            ctx.log(f"dead rows removed in {dead_rows_remove():.1f} s")
        table = Table(title=f"Accord bench — scale {ctx.scale}, {ctx.runs} runs")
        for column in ("suite", "figure", "median", "± spread", "floor", "vs floor", "goal"):
            table.add_column(column, justify="right" if column in ("median", "± spread", "floor") else "left")
        for fig in ctx.figures:
            ratio = fig.ratio_to_floor
            table.add_row(
                fig.suite,
                f"{fig.name} ({fig.unit})",
                f"{fig.median:,.2f}",
                f"{fig.spread:,.2f}",
                "" if fig.floor_median is None else f"{fig.floor_median:,.2f}",
                "" if ratio is None else f"{ratio:.2f}x",
                fig.goal,
            )
        console.print(table)
        vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        default = Path(settings.DATA_DIR) / "bench" / f"{vendor}-scale{ctx.scale:g}.json"
        path = Path(options["json"]) if options["json"] else default
        write_json(path, ctx)
        console.print(f"Results written to {path}")

    def _run_in_bench_database(self, options: dict[str, Any]) -> None:
        """Never on the user's database: prepare the bench one, then run there."""
        database = bench_db.bench_database(scale=options["scale"], seed=options["seed"])
        self.stdout.write(f"Benchmark database: {database.label}")
        try:
            bench_db.prepare(database, scale=options["scale"], seed=options["seed"], fresh=options["fresh"])
        except RuntimeError as exc:
            raise CommandError(str(exc)) from None
        argv = [
            "--scale",
            f"{options['scale']:g}",
            "--runs",
            str(options["runs"]),
            "--seed",
            str(options["seed"]),
        ]
        for key in options["only"]:
            argv += ["--only", key]
        if options["base_url"]:
            argv += ["--base-url", options["base_url"]]
        if options["json"]:
            argv += ["--json", options["json"]]
        if options["json"] is None:
            vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            default = Path(settings.DATA_DIR) / "bench" / f"{vendor}-scale{options['scale']:g}.json"
            argv += ["--json", str(default)]
        code = bench_db.run_child(argv, database)
        if code:
            raise CommandError(f"The benchmark run failed (exit code {code}).")
