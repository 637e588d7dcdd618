"""`accord bench` end to end at a tiny scale: its own database, a suite, the table and the JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from accord.platform import bench_db

SEED = 5


def test_accord_bench_generates_its_database_runs_a_suite_and_writes_json(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "accord.config.settings", "ACCORD_DATA_DIR": str(tmp_path)}
    env["COLUMNS"] = "200"  # the table on one line per figure
    if connection.vendor == "sqlite":
        env["ACCORD_DATABASE_URL"] = f"sqlite:///{tmp_path}/accord.sqlite3"
    out = tmp_path / "bench.json"
    command = [sys.executable, "-m", "accord.config.cli", "bench", "--scale", "0.01", "--runs", "1"]
    command += ["--seed", str(SEED), "--only", "search", "--json", str(out), "--fresh"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603
    finally:
        name = bench_db.bench_database(scale=0.01, seed=SEED).postgres_name
        if name:
            import psycopg

            with psycopg.connect(**bench_db._server_params("postgres"), autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    assert done.returncode == 0, done.stderr[-2000:]
    assert "global search p95" in done.stdout
    assert "dead rows removed" in done.stdout  # every suite leaves the database as autovacuum would
    result = json.loads(out.read_text())
    assert result["scale"] == 0.01
    assert result["machine"]["database"] == connection.vendor
    assert {figure["name"] for figure in result["figures"]} == {"global search p50", "global search p95"}
    assert all(figure["samples"] and figure["floor_samples"] for figure in result["figures"])
