"""Print the figures of `accord bench` JSON files as Markdown tables (for docs/benchmarks.md).

Usage: .venv/bin/python scripts/bench_table.py var/bench/sqlite3-scale1.json [more.json ...]
"""

from __future__ import annotations

import json
import sys


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def main() -> None:
    for path in sys.argv[1:]:
        data = json.load(open(path))  # noqa: SIM115
        machine = data["machine"]
        print(
            f"\n### {machine['database']} {machine['database_version']}, scale {data['scale']:g}, "
            f"{data['runs']} runs, seed {data['seed']}, {data['at']}\n"
        )
        print("| suite | figure | median | spread | floor | × floor | goal | note |")
        print("|---|---|---|---|---|---|---|---|")
        for f in data["figures"]:
            ratio = f"{f['ratio_to_floor']:.2f}x" if f.get("ratio_to_floor") else "—"
            print(
                f"| {f['suite']} | {f['name']} ({f['unit']}) | {_fmt(f['median'])} | ±{_fmt(f['spread'])} "
                f"| {_fmt(f.get('floor_median'))} | {ratio} | {f['goal']} | {f['note']} |"
            )


if __name__ == "__main__":
    main()
