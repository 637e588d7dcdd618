"""The account view suite runs on generated data: percentiles beside the primary-key floor, nothing kept."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db.models import Count

from accord.crm.bench import measure_account_view, sample_accounts
from accord.crm.models import Account
from accord.platform.bench import BenchContext
from accord.platform.bench_suites import bench_endpoints
from accord.platform.models import ApiToken, AuditEntry
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate


@pytest.fixture
def generated(db: Any) -> None:
    install_ensure()
    demo_generate(scale=0.01, seed=7, progress=lambda *a: None, only=["platform", "crm.core"])


def _counts() -> tuple[int, ...]:
    return (
        Account.objects.count(),
        Session.objects.count(),
        ApiToken.objects.count(),
        AuditEntry.objects.count(),
    )


def test_sample_includes_the_account_with_most_contacts(generated) -> None:
    largest = Account.objects.annotate(n=Count("contacts")).order_by("-n", "pk").first()

    ids = sample_accounts(random.Random(3), 10)

    assert ids[0] == largest.pk
    assert len(ids) == len(set(ids)) == 10


def test_account_view_suite_reports_percentiles_in_process_beside_the_floor(generated) -> None:
    before = _counts()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    measure_account_view(ctx, through_server=False)

    assert [f.name for f in ctx.figures] == [
        f"{face} in-process p{pct}"
        for face in ("console account view", "GET /api/v1/accounts/{id}")
        for pct in (50, 95, 99)
    ]
    for figure in ctx.figures:
        assert (figure.suite, figure.unit, figure.higher_is_better) == ("account_view", "ms", False)
        assert len(figure.samples) == 2
        assert all(s > 0 for s in figure.samples)
        assert len(figure.floor_samples) == 2
        assert all(s > 0 for s in figure.floor_samples)
        assert "; 0 errors;" in figure.note  # every page and API answer was a 200
    assert ctx.figures[1].goal == "p95 < 15 ms"
    assert _counts() == before  # the session and the token are gone, nothing else written


def test_accounts_endpoints_are_registered_for_the_api_suite(generated) -> None:
    detail = bench_endpoints.get("accounts-detail").paths(5)

    assert len(detail) == 5
    assert all(p.startswith("/api/v1/accounts/") for p in detail)
    assert bench_endpoints.get("accounts-list").paths(2) == [
        "/api/v1/accounts?page=1&page_size=50",
        "/api/v1/accounts?page=2&page_size=50",
    ]
    assert bench_endpoints.get("contacts-list").paths(6)[4:] == [
        "/api/v1/contacts?page=5&page_size=50",
        "/api/v1/contacts?page=1&page_size=50",
    ]
