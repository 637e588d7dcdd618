"""CRM's benchmark suite: the account view (console page, API detail) beside the bare primary-key read.

Pages are timed in-process (Django's test client: the whole request, no network) and through a real
server on loopback, for 200 random accounts that always include the largest ones. The floor is one
SELECT of the account row by id, on the same accounts in the same run. The administrator's session
and token exist for the run only; in-process requests run in a transaction that is rolled back.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from accord.crm.models import Account, CustomerAssociation
from accord.platform.bench import BenchContext, BenchSuite, Figure, bench_suites, percentile
from accord.platform.bench_suites import BenchEndpoint, bench_endpoints
from accord.platform.benchtools import api_token, http_load, running_server
from accord.platform.models import User
from accord.platform.setup import ADMIN_USERNAME

SAMPLE = 200
PERCENTILES = (50, 95, 99)
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
GOALS = {
    ("console account view", "in-process", 95): "p95 < 15 ms",
    ("GET /api/v1/accounts/{id}", "in-process", 95): "p95 < 15 ms",
    ("GET /api/v1/accounts/{id}", "server", 95): "p95 < 20 ms at scale 10",
}


class _Rollback(Exception):
    pass


def largest_accounts() -> list[int]:
    """The account with the most customer records and the one with the most contacts."""
    by_links = (
        CustomerAssociation.objects.filter(source_type__isnull=False)
        .values("account_id")
        .annotate(n=Count("id"))
        .order_by("-n", "account_id")
        .values_list("account_id", flat=True)[:1]
    )
    by_contacts = (
        Account.contacts.through.objects.values("account_id")
        .annotate(n=Count("id"))
        .order_by("-n", "account_id")
        .values_list("account_id", flat=True)[:1]
    )
    return list(dict.fromkeys([*by_links, *by_contacts]))


def sample_accounts(rng: random.Random, count: int = SAMPLE) -> list[int]:
    """`count` accounts at random, the largest ones first."""
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True))
    chosen = largest_accounts() + rng.sample(ids, min(count, len(ids)))
    return list(dict.fromkeys(chosen))[:count]


@contextmanager
def console_session(user: User) -> Iterator[str]:
    """A logged-in console session of the user (what the log-in page stores), deleted afterwards."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    try:
        yield store.session_key
    finally:
        store.delete()


def bench_client() -> Any:
    """Django's test client (imported here: not at start-up), addressed to a host the settings allow."""
    from django.test import Client

    hosts = [h for h in settings.ALLOWED_HOSTS if h not in ("*",) and not h.startswith((".", "["))]
    return Client(SERVER_NAME=hosts[0] if hosts else "localhost")


def client_latencies(client: Any, paths: list[str], headers: dict[str, str]) -> tuple[list[float], int]:
    """GET each path in-process; (latencies in ms, non-200 answers). Writes are rolled back."""
    latencies: list[float] = []
    errors = 0
    try:
        with transaction.atomic():
            for path in paths:
                start = time.perf_counter()
                response = client.get(path, headers=headers, secure=settings.SECURE_SSL_REDIRECT)
                latencies.append((time.perf_counter() - start) * 1000)
                errors += response.status_code != 200
            raise _Rollback
    except _Rollback:
        pass
    return latencies, errors


def _floor(ids: list[int]) -> list[float]:
    sql = f"SELECT * FROM {Account._meta.db_table} WHERE id = %s"  # noqa: S608
    latencies = []
    with connection.cursor() as cursor:
        for pk in ids:
            start = time.perf_counter()
            cursor.execute(sql, [pk])
            cursor.fetchone()
            latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def _faces(ids: list[int], session_key: str, raw_token: str) -> list[tuple[str, list[str], dict[str, str]]]:
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    return [
        ("console account view", [reverse("console:accounts_view", args=[pk]) for pk in ids], cookie),
        (
            "GET /api/v1/accounts/{id}",
            [f"/api/v1/accounts/{pk}" for pk in ids],
            {"Authorization": f"Bearer {raw_token}"},
        ),
    ]


def _server(ctx: BenchContext) -> Any:
    return nullcontext(ctx.base_url) if ctx.base_url else running_server(workers=2, threads=4)


def measure_account_view(ctx: BenchContext, *, through_server: bool = True) -> None:
    """Percentiles per run of each face, in-process and (optionally) through the server."""
    admin = User.objects.get(username=ADMIN_USERNAME)
    ids = sample_accounts(random.Random(ctx.seed))
    if not ids:
        ctx.log("account_view: there are no accounts to view")
        return
    floors = [_floor(ids) for _ in range(ctx.runs)]
    floor = {pct: [percentile(run, pct) for run in floors] for pct in PERCENTILES}
    note = f"{len(ids)} accounts incl. the largest (#{', #'.join(map(str, largest_accounts()))})"
    with console_session(admin) as session_key, api_token(admin) as raw:
        faces = _faces(ids, session_key, raw)
        client = bench_client()
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
        for face, paths, headers in faces:
            client_latencies(client, paths, headers)  # warm-up, untimed: caches and prepared statements
            runs = [client_latencies(client, paths, headers) for _ in range(ctx.runs)]
            _add(ctx, face, "in-process", [r[0] for r in runs], sum(r[1] for r in runs), floor, note)
        if through_server:
            with _server(ctx) as base:
                for face, paths, headers in faces:
                    loads = [
                        http_load(base, paths, headers=headers, concurrency=1, requests_per_client=len(paths))
                        for _ in range(ctx.runs)
                    ]
                    _add(ctx, face, "server", [r[1] for r in loads], sum(r[2] for r in loads), floor, note)


def _add(
    ctx: BenchContext,
    face: str,
    where: str,
    runs: list[list[float]],
    errors: int,
    floor: dict[int, list[float]],
    note: str,
) -> None:
    for pct in PERCENTILES:
        ctx.add(
            Figure(
                "account_view",
                f"{face} {where} p{pct}",
                "ms",
                [percentile(run, pct) for run in runs],
                floor[pct],
                False,
                GOALS.get((face, where, pct), ""),
                f"{note}; {errors} errors; floor = the account row by primary key",
            )
        )


def run_account_view(ctx: BenchContext) -> None:
    measure_account_view(ctx, through_server=True)


def _account_paths(n: int) -> list[str]:
    return [f"/api/v1/accounts/{pk}" for pk in sample_accounts(random.Random(n), n)]


def _account_list_paths(n: int) -> list[str]:
    return [f"/api/v1/accounts?page={1 + i % 5}&page_size=50" for i in range(n)]


def _contact_list_paths(n: int) -> list[str]:
    return [f"/api/v1/contacts?page={1 + i % 5}&page_size=50" for i in range(n)]


def register() -> None:
    bench_suites.register(
        "account_view",
        BenchSuite("account_view", "Account view: console page and API detail", run_account_view, 30),
    )
    bench_endpoints.register(
        "accounts-list",
        BenchEndpoint(
            "accounts-list", "GET /api/v1/accounts (50 a page)", _account_list_paths, "≥ 300 req/s"
        ),
    )
    bench_endpoints.register(
        "contacts-list",
        BenchEndpoint(
            "contacts-list", "GET /api/v1/contacts (50 a page)", _contact_list_paths, "≥ 300 req/s"
        ),
    )
    bench_endpoints.register(
        "accounts-detail", BenchEndpoint("accounts-detail", "GET /api/v1/accounts/{id}", _account_paths)
    )
