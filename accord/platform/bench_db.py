"""The database benchmarks run on: never the user's own, one per (database kind, scale, seed).

`accord bench` re-runs itself with the environment pointing at a bench database: a SQLite file
under `<data dir>/bench/`, or on PostgreSQL a sibling database `<name>_bench_<scale>_<seed>`
on the same server. The database is migrated and filled by `accord demo --scale S --seed N`
the first time; later runs at the same scale and seed reuse it (`--fresh` starts over).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

CHILD_FLAG = "ACCORD_BENCH_CHILD"


@dataclass(frozen=True)
class BenchDatabase:
    label: str
    env: dict[str, str]
    data_dir: Path
    postgres_name: str | None = None  # the database to create on the server, if PostgreSQL


def _tag(scale: float, seed: int) -> str:
    return f"s{scale:g}".replace(".", "_") + f"_seed{seed}"


def bench_database(*, scale: float, seed: int) -> BenchDatabase:
    """Where the benchmarks of this scale and seed run, next to the configured database."""
    tag = _tag(scale, seed)
    default = settings.DATABASES["default"]
    kind = "postgres" if default["ENGINE"].endswith("postgresql") else "sqlite"
    data_dir = Path(settings.DATA_DIR) / "bench" / f"{kind}-{tag}"
    env = {CHILD_FLAG: "1", "ACCORD_DATA_DIR": str(data_dir)}
    if default["ENGINE"].endswith("postgresql"):
        name = f"{default['NAME']}_bench_{tag}".lower()
        # Named by the database: two configured databases must not share one "generated" marker.
        data_dir = Path(settings.DATA_DIR) / "bench" / f"{kind}-{name}"
        env["ACCORD_DATA_DIR"] = str(data_dir)
        url = settings.DATABASE_URL.rsplit("/", 1)[0] + "/" + name
        env["ACCORD_DATABASE_URL"] = url
        return BenchDatabase(f"PostgreSQL database {name}", env, data_dir, name)
    env["ACCORD_DATABASE_URL"] = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    return BenchDatabase(f"SQLite file {data_dir / 'bench.sqlite3'}", env, data_dir)


def _server_params(dbname: str) -> dict[str, Any]:
    """Connection parameters of the configured PostgreSQL server, for another database on it."""
    default = settings.DATABASES["default"]
    params = {
        "host": default.get("HOST") or "127.0.0.1",
        "port": default.get("PORT") or 5432,
        "user": default.get("USER"),
        "password": default.get("PASSWORD") or None,
        "dbname": dbname,
    }
    return {k: v for k, v in params.items() if v is not None}


def _create_postgres_database(name: str, *, fresh: bool) -> bool:
    """Create the database unless it exists; True when it was created (so it holds no data yet)."""
    import psycopg

    with psycopg.connect(**_server_params("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
        return not exists


def _postgres_holds_data(name: str) -> bool:
    """Whether the database has Accord's tables with an organization in them."""
    import psycopg

    with psycopg.connect(**_server_params(name)) as conn:
        if conn.execute("SELECT to_regclass('platform_organization')").fetchone() == (None,):
            return False
        return conn.execute("SELECT EXISTS (SELECT 1 FROM platform_organization)").fetchone() == (True,)


def _accord(args: list[str], env: dict[str, str]) -> None:
    command = [sys.executable, "-m", "accord.config.cli", *args]
    result = subprocess.run(command, env={**os.environ, **env}, check=False)  # noqa: S603
    if result.returncode != 0:
        raise RuntimeError(f"`accord {' '.join(args)}` failed with exit code {result.returncode}")


def prepare(database: BenchDatabase, *, scale: float, seed: int, fresh: bool) -> None:
    """Generate the data once (a marker file says it is there); migrate on every run."""
    if fresh and database.data_dir.exists():
        shutil.rmtree(database.data_dir)
    database.data_dir.mkdir(parents=True, exist_ok=True)
    marker = database.data_dir / "generated"
    if database.postgres_name and _create_postgres_database(database.postgres_name, fresh=fresh):
        marker.unlink(missing_ok=True)  # a new database: whatever the marker says, it is empty
    if marker.exists():
        _accord(["migrate", "--verbosity", "0"], database.env)  # data kept, schema brought up to date
        return
    if database.postgres_name and _postgres_holds_data(database.postgres_name):
        raise RuntimeError(
            f"{database.label} holds data but {marker} is missing: generating again would add to it. "
            "Run with --fresh to regenerate it, or restore the marker if the data is complete."
        )
    _accord(["setup", "--no-demo"], database.env)
    _accord(["demo", "--scale", f"{scale:g}", "--seed", str(seed)], database.env)
    marker.write_text(f"scale={scale:g} seed={seed}\n")


def run_child(argv: list[str], database: BenchDatabase) -> int:
    command = [sys.executable, "-m", "accord.config.cli", "bench", *argv]
    return subprocess.run(command, env={**os.environ, **database.env}, check=False).returncode  # noqa: S603
