"""Where benchmarks run: a database of their own per kind, scale and seed."""

from __future__ import annotations

from django.db import connection

from accord.platform.bench_db import bench_database


def test_each_database_kind_scale_and_seed_has_its_own_place() -> None:
    """SQLite and PostgreSQL runs of one scale must not share the "generated" marker."""
    one = bench_database(scale=1, seed=42)
    other_seed = bench_database(scale=1, seed=7)
    small = bench_database(scale=0.05, seed=42)

    kind = "postgres" if connection.vendor == "postgresql" else "sqlite"
    assert one.data_dir.name == f"{kind}-s1_seed42"
    assert small.data_dir.name == f"{kind}-s0_05_seed42"
    assert len({one.data_dir, other_seed.data_dir, small.data_dir}) == 3
    assert one.env["ACCORD_DATA_DIR"] == str(one.data_dir)
    if kind == "postgres":
        assert one.postgres_name is not None
        assert one.postgres_name.endswith("_bench_s1_seed42")
    else:
        assert one.env["ACCORD_DATABASE_URL"].endswith("sqlite-s1_seed42/bench.sqlite3")
