"""The commerce and search benchmark suites run on generated data and report a figure with its floor."""

from __future__ import annotations

import pytest

from accord.commerce.bench import run_load
from accord.commerce.models import Customer
from accord.platform.bench import BenchContext
from accord.platform.bench_suites import run_search
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate


@pytest.fixture
def generated(db):
    install_ensure()
    demo_generate(scale=0.01, seed=7, progress=lambda *a: None, only=["platform", "commerce.customers"])


def test_load_suite_measures_the_service_and_the_floor_and_writes_nothing(generated) -> None:
    before = Customer.objects.count()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    run_load(ctx)

    (figure,) = ctx.figures
    assert figure.unit == "rows/s"
    assert len(figure.samples) == 2
    assert len(figure.floor_samples) == 2
    assert figure.median > 0
    assert figure.ratio_to_floor is not None
    assert Customer.objects.count() == before  # every run is rolled back


def test_search_suite_reports_percentiles_beside_the_bare_query(generated) -> None:
    ctx = BenchContext(scale=0.01, runs=1, seed=1, log=lambda m: None)

    run_search(ctx)

    assert [f.name for f in ctx.figures] == ["global search p50", "global search p95"]
    assert all(f.samples[0] > 0 and f.floor_samples[0] > 0 for f in ctx.figures)
