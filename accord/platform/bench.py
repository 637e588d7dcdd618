"""The benchmark runner behind `accord bench`: figures with their physical floor, measured in one run.

Modules register `BenchSuite`s; each suite measures Accord's own operation and, on the same data,
the floor the database itself sets for the same work. Results go to a table and to JSON
(machine, versions, database, scale, each figure's median and spread over several runs).
"""

from __future__ import annotations

import json
import os
import platform as py_platform
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connection

from accord import __version__
from accord.platform.registries import Registry


@dataclass
class Figure:
    """One measured quantity: samples of Accord's operation and of its floor."""

    suite: str
    name: str
    unit: str  # "rows/s", "ms", "req/s", "s"
    samples: list[float]
    floor_samples: list[float] = field(default_factory=list)
    higher_is_better: bool = True
    goal: str = ""
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else 0.0

    @property
    def spread(self) -> float:
        """Half the interquartile range, or 0 for fewer than 4 samples (then min-max half range)."""
        if len(self.samples) >= 4:
            q = statistics.quantiles(self.samples, n=4)
            return (q[2] - q[0]) / 2
        if len(self.samples) >= 2:
            return (max(self.samples) - min(self.samples)) / 2
        return 0.0

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_samples) if self.floor_samples else None

    @property
    def ratio_to_floor(self) -> float | None:
        """How many times slower than the floor (1.0 = at the floor)."""
        floor = self.floor_median
        if not floor or not self.median:
            return None
        return floor / self.median if self.higher_is_better else self.median / floor

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            median=self.median,
            spread=self.spread,
            floor_median=self.floor_median,
            ratio_to_floor=self.ratio_to_floor,
        )
        return data


@dataclass
class BenchContext:
    scale: float
    runs: int
    seed: int
    base_url: str | None = None  # a running `accord serve`, for the HTTP suites
    figures: list[Figure] = field(default_factory=list)
    log: Callable[[str], None] = print

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure


@dataclass(frozen=True)
class BenchSuite:
    key: str
    label: str
    run: Callable[[BenchContext], None]
    order: int = 100
    needs_server: bool = False


bench_suites: Registry[BenchSuite] = Registry("benchmark suites")


@contextmanager
def timer() -> Iterator[list[float]]:
    """`with timer() as t: ...` then `t[0]` is the elapsed seconds."""
    result: list[float] = []
    start = time.perf_counter()
    yield result
    result.append(time.perf_counter() - start)


def percentile(samples: list[float], pct: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine_description() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo")
    memory = ""
    if meminfo.exists():
        memory = meminfo.read_text().splitlines()[0].split(":", 1)[1].strip()
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        db_version = cursor.fetchone()[0]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": py_platform.platform(),
        "python": py_platform.python_version(),
        "django": django.get_version(),
        "accord": __version__,
        "database": connection.vendor,
        "database_version": db_version,
        "modules": list(settings.ACCORD_MODULES),
    }


def write_json(path: Path, ctx: BenchContext) -> None:
    payload = {
        "machine": machine_description(),
        "scale": ctx.scale,
        "runs": ctx.runs,
        "seed": ctx.seed,
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "figures": [figure.as_json() for figure in ctx.figures],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2))
