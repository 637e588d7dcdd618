"""The platform's benchmark suites: global search, and HTTP throughput for endpoints modules name.

Each figure is measured beside its floor in the same run: search against the bare full-text
query on the same index in the same order and limit (no ACL, no providers), HTTP against
`/health` on the same server (what the server, the network stack and the client cost without
Accord's work).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Max, Min

from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites, percentile
from accord.platform.benchtools import api_token, http_load, running_server
from accord.platform.models import SearchEntry, User
from accord.platform.registries import Registry
from accord.platform.search import search, terms_of
from accord.platform.search_match import match_clause, window_floor
from accord.platform.setup import ADMIN_USERNAME

CONCURRENCY = (1, 8, 32)


@dataclass(frozen=True)
class BenchEndpoint:
    """An API endpoint to load: `paths(n)` gives n request paths (list pages or record details)."""

    key: str
    label: str
    paths: Callable[[int], list[str]]
    goal: str = ""


bench_endpoints: Registry[BenchEndpoint] = Registry("benchmark endpoints")


def _admin() -> User:
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is None:
        raise RuntimeError("No administrator: run `accord setup` first.")
    return admin


def _fragments(rng: random.Random, count: int) -> list[str]:
    """Starts of words from the titles of entries picked by the seed: the same fragments on every run
    over the same data (the database's own random order gave each run other fragments)."""
    bounds = SearchEntry.objects.aggregate(low=Min("id"), high=Max("id"))
    if bounds["low"] is None:
        return []
    picks = sorted({rng.randint(bounds["low"], bounds["high"]) for _ in range(count * 2)})
    titles = SearchEntry.objects.filter(id__in=picks).order_by("id").values_list("title", flat=True)
    words = [w for t in titles for w in terms_of(t) if len(w) >= 3]
    return [rng.choice(words)[: rng.randint(3, 6)] for _ in range(count)] if words else []


def _floor_search(fragment: str) -> None:
    """The same result without Accord: the 20 newest entries matching the fragment, no ACL, found
    the same way (on PostgreSQL the newest window by primary key, then the full-text index)."""
    match = match_clause(terms_of(fragment))
    columns = "platform_searchentry.entity, platform_searchentry.object_id, platform_searchentry.title"
    sources = ", ".join(["platform_searchentry", *match.tables])
    floor = window_floor() if match.window_first else None
    steps: list[tuple[str, list[int], str]] = [(match.where, [], match.order_sql())]
    if floor is not None:  # the window's floor as a parameter, as the ORM sends it: one prepared text
        walk = f"{match.scan_where} AND platform_searchentry.id > %s"
        steps = [(walk, [floor], "platform_searchentry.id DESC")]
        steps.append((f"{match.where} AND platform_searchentry.id <= %s", [floor], match.order_sql()))
    found = 0
    with connection.cursor() as cursor:
        for where, params, order in steps:
            sql = f"SELECT {columns} FROM {sources} WHERE {where} ORDER BY {order} LIMIT %s"  # noqa: S608
            cursor.execute(sql, [*match.params, *params, 20 - found])
            found += len(cursor.fetchall())
            if found == 20:
                return


def run_search(ctx: BenchContext) -> None:
    admin = _admin()
    fragments = _fragments(random.Random(ctx.seed), 200)
    if not fragments:
        ctx.log("search: the index is empty, nothing to measure")
        return
    accord_p50, accord_p95, floor_p50, floor_p95 = [], [], [], []
    for _ in range(ctx.runs):
        own, bare = [], []
        for fragment in fragments:
            start = time.perf_counter()
            search(admin, fragment)
            own.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            _floor_search(fragment)
            bare.append((time.perf_counter() - start) * 1000)
        accord_p50.append(percentile(own, 50))
        accord_p95.append(percentile(own, 95))
        floor_p50.append(percentile(bare, 50))
        floor_p95.append(percentile(bare, 95))
    entries = SearchEntry.objects.count()
    note = f"{len(fragments)} fragments over {entries:,} index entries"
    ctx.add(Figure("search", "global search p50", "ms", accord_p50, floor_p50, False, "", note))
    ctx.add(Figure("search", "global search p95", "ms", accord_p95, floor_p95, False, "p95 < 10 ms", note))


def run_api(ctx: BenchContext) -> None:
    endpoints = sorted(bench_endpoints, key=lambda e: e.key)
    if not endpoints:
        ctx.log("api: no module registered an endpoint to load")
        return
    with api_token(_admin()) as raw, running_server(workers=2, threads=4) as base:
        headers = {"Authorization": f"Bearer {raw}"}
        base = ctx.base_url or base
        for concurrency in CONCURRENCY:
            per_client = max(20, 400 // concurrency)
            floor_rates = [
                http_load(
                    base, ["/health"], headers={}, concurrency=concurrency, requests_per_client=per_client
                )[0]
                for _ in range(ctx.runs)
            ]
            for endpoint in endpoints:
                paths = endpoint.paths(200)
                rates, p95s, errors = [], [], 0
                for _ in range(ctx.runs):
                    rate, latencies, bad = http_load(
                        base, paths, headers=headers, concurrency=concurrency, requests_per_client=per_client
                    )
                    rates.append(rate)
                    p95s.append(percentile(latencies, 95))
                    errors += bad
                note = f"{concurrency} clients; {errors} errors; floor = /health on the same server"
                name = f"{endpoint.label}, {concurrency} clients"
                ctx.add(Figure("api", f"{name}", "req/s", rates, floor_rates, True, endpoint.goal, note))
                ctx.add(Figure("api", f"{name} p95", "ms", p95s, [], False, "p95 < 50 ms", note))


def register() -> None:
    bench_suites.register("search", BenchSuite("search", "Global search", run_search, 60))
    bench_suites.register(
        "api", BenchSuite("api", "API throughput on loopback", run_api, 50, needs_server=True)
    )
