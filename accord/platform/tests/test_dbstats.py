"""Planner statistics are refreshed after the generator's bulk writes (see accord.platform.dbstats)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection

from accord.platform import imports
from accord.platform.dbstats import database_analyze
from accord.platform.imports import import_start
from accord.platform.jobs import job_run
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME
from accord.platform.setup_scale import demo_generate


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return bool(cursor.fetchone()[0])


def test_analyze_gathers_statistics_of_a_filled_table(make_user: Callable[..., User]) -> None:
    for n in range(3):
        make_user(f"stats{n}")
    assert not _has_statistics("platform_user")
    assert database_analyze() >= 0
    assert _has_statistics("platform_user")


def test_the_scale_generator_ends_with_fresh_statistics(make_user: Callable[..., User]) -> None:
    make_user(ADMIN_USERNAME, roles=["administrator"])
    labels: list[tuple[str, int, int]] = []
    demo_generate(scale=0.01, seed=1, progress=lambda *a: labels.append(a), only=["platform"])
    assert _has_statistics("platform_user")
    assert labels[-1] == ("planner statistics", 1, 1)


def test_a_large_import_ends_with_fresh_statistics(tree: Any, admin: User, monkeypatch: Any) -> None:
    monkeypatch.setattr(imports, "BULK_ROWS", 2)  # two rows count as "large" here
    rows = "".join(f"imp{n},imp{n}@example.com,Sales,sales_rep\n" for n in range(2))
    job = import_start(
        importer_key="users", content=f"username,email,business_unit,roles\n{rows}".encode(), actor=admin
    )
    assert job_run(job_id=job.pk).result["imported"] == 2
    assert _has_statistics("platform_user")


def test_a_small_import_leaves_statistics_to_the_night(tree: Any, admin: User) -> None:
    content = b"username,email,business_unit,roles\nsolo,solo@example.com,Sales,sales_rep\n"
    job = import_start(importer_key="users", content=content, actor=admin)
    assert job_run(job_id=job.pk).result["imported"] == 1
    assert not _has_statistics("platform_user")
