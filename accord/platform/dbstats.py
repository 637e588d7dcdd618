"""Planner statistics: a query plan is only as good as the statistics the database keeps.

SQLite gathers none until `ANALYZE` runs, and without them it picks the wrong index for
joins such as "the contacts of these 50 accounts" (a full scan per page: 250 ms instead of 2 ms at
scale 1). PostgreSQL's autovacuum analyzes by itself, but only some time after a bulk load.
Accord therefore analyzes after its bulk writers (the scale generator, large imports) and once a
night from the worker.
"""

from __future__ import annotations

import time

from django.db import connection

# Imports and jobs writing at least this many rows refresh the statistics when they finish.
BULK_ROWS = 1_000


def database_analyze() -> float:
    """Refresh the planner statistics of every table; returns the seconds it took."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def dead_rows_remove() -> float:
    """PostgreSQL: VACUUM, as autovacuum would some time later, so rows that rolled-back work left
    behind (dead index entries at the end of every key the planner probes) do not slow the next
    reader. SQLite leaves no such rows. Returns the seconds it took."""
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return time.perf_counter() - started
