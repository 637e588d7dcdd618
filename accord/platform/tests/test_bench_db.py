"""Where benchmarks run: a database of their own per kind, scale and seed."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection

from accord.platform import bench_db
from accord.platform.bench_db import bench_database
from accord.platform.models import Organization


def test_each_database_kind_scale_and_seed_has_its_own_place() -> None:
    """SQLite and PostgreSQL runs of one scale must not share the "generated" marker."""
    one = bench_database(scale=1, seed=42)
    other_seed = bench_database(scale=1, seed=7)
    small = bench_database(scale=0.05, seed=42)

    kind = "postgres" if connection.vendor == "postgresql" else "sqlite"
    # On PostgreSQL the place is named by the bench database, itself named by the configured one.
    tag = f"{one.postgres_name}" if kind == "postgres" else "s1_seed42"
    small_tag = f"{small.postgres_name}" if kind == "postgres" else "s0_05_seed42"
    assert one.data_dir.name == f"{kind}-{tag}"
    assert small.data_dir.name == f"{kind}-{small_tag}"
    assert len({one.data_dir, other_seed.data_dir, small.data_dir}) == 3
    assert one.env["ACCORD_DATA_DIR"] == str(one.data_dir)
    if kind == "postgres":
        assert one.postgres_name is not None
        assert one.postgres_name.endswith("_bench_s1_seed42")
    else:
        assert one.env["ACCORD_DATABASE_URL"].endswith("sqlite-s1_seed42/bench.sqlite3")


def test_two_configured_postgresql_databases_do_not_share_a_marker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A run against another configured database once deleted the marker of the first one."""
    places = []
    for name in ("accord", "accord_bench_s10_seed42"):
        configured = SimpleNamespace(
            DATA_DIR="/tmp/accord-data",
            DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": name}},
            DATABASE_URL=f"postgres://accord@127.0.0.1:5432/{name}",
        )
        monkeypatch.setattr(bench_db, "settings", configured)
        places.append(bench_database(scale=10, seed=42))
    first, second = places
    assert first.postgres_name == "accord_bench_s10_seed42"
    assert second.postgres_name == "accord_bench_s10_seed42_bench_s10_seed42"
    assert first.data_dir != second.data_dir


@pytest.mark.django_db(transaction=True)
def test_a_database_with_data_and_no_marker_is_not_generated_again() -> None:
    """Generating again would add a second copy of everything to it."""
    if connection.vendor != "postgresql":
        # A SQLite bench database is a file of its own place: no server database to look into.
        assert bench_database(scale=1, seed=42).postgres_name is None
        return
    name = connection.settings_dict["NAME"]
    assert bench_db._postgres_holds_data(name) is False
    Organization.objects.create(name="Acme")
    assert bench_db._postgres_holds_data(name) is True
