#!/usr/bin/env bash
# Start (or stop) a throw-away PostgreSQL server on 127.0.0.1 for the test suite and benchmarks.
# Prints the database URL on its last line. Uses Debian's postgresql package; as root it runs the
# server as the `postgres` user. Data lives in $ACCORD_PG_DIR (default /tmp/accord-pg).
set -euo pipefail
action="${1:-start}"
PGDIR="${ACCORD_PG_DIR:-/tmp/accord-pg}"
PGPORT="${ACCORD_PG_PORT:-54329}"
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/pg_ctl" ]; then
  echo "PostgreSQL is not installed: apt-get install postgresql postgresql-15-rum (see .ci/run)" >&2
  exit 2
fi
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    if [ ! -s "$PGDIR/PG_VERSION" ]; then
      mkdir -p "$PGDIR"
      [ "$(id -u)" = "0" ] && chown postgres:postgres "$PGDIR"
      as_pg "$BIN/initdb" -D "$PGDIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR" -l "$PGDIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=1GB -c random_page_cost=1.1 -c effective_cache_size=8GB -c work_mem=16MB" start >/dev/null
    fi
    if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='accord'" | grep -q 1; then
      as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE ROLE accord LOGIN SUPERUSER"
    fi
    if ! as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='accord'" | grep -q 1; then
      as_pg "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE accord OWNER accord"
    fi
    echo "postgres://accord@127.0.0.1:$PGPORT/accord"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$PGDIR" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
