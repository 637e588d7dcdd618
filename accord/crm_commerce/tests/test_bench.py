"""The bridge's benchmark suites run on generated data, report figures with their floor, change nothing."""

from __future__ import annotations

import re
from typing import Any

import pytest

from accord.crm.models import Account, CustomerAssociation, LifetimeValueHistory
from accord.crm_commerce.bench import _bare_relink, run_lifetime, run_strategy
from accord.crm_commerce.models import CustomerLifetimeValue, CustomerOwnAccount
from accord.platform.bench import BenchContext
from accord.platform.models import AuditEntry, SearchEntry
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate


@pytest.fixture
def generated(db: Any) -> None:
    install_ensure()
    demo_generate(
        scale=0.01,
        seed=7,
        progress=lambda *a: None,
        only=["platform", "commerce.customers", "commerce.orders"],
    )


def _snapshot() -> dict[str, Any]:
    return {
        "links": sorted(CustomerAssociation.objects.values_list("source_type", "source_id", "account_id")),
        "own": sorted(CustomerOwnAccount.objects.values_list("customer_id", "account_id")),
        "values": sorted(CustomerLifetimeValue.objects.values_list("customer_id", "amount")),
        "accounts": Account.objects.count(),
        "history": LifetimeValueHistory.objects.count(),
        "audit": AuditEntry.objects.count(),
        "search": SearchEntry.objects.count(),
    }


def test_strategy_suite_times_the_switch_beside_bare_updates_and_changes_nothing(generated) -> None:
    before = _snapshot()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    run_strategy(ctx)

    (figure,) = ctx.figures
    assert figure.name == "strategy switch each → root → each"
    assert figure.unit == "ms"
    assert len(figure.samples) == 2
    assert all(s > 0 for s in figure.samples)
    assert len(figure.floor_samples) == 2
    assert all(s > 0 for s in figure.floor_samples)
    assert figure.ratio_to_floor is not None
    moved = re.search(r"([\d,]+) moved each way .* UPDATEs of ([\d,]+) hub rows", figure.note)
    assert moved is not None
    assert moved[1] == moved[2] != "0"  # the floor re-points the same rows as the job
    assert _snapshot() == before  # every run is rolled back


def test_bare_relink_ends_where_it_started(generated) -> None:
    """The floor does the job's work: children to their root's account, then back to their own."""
    before = sorted(CustomerAssociation.objects.values_list("source_id", "account_id"))

    moved = _bare_relink()

    assert moved > 0
    assert sorted(CustomerAssociation.objects.values_list("source_id", "account_id")) == before


def test_lifetime_suite_times_the_recalculation_beside_a_bare_group_by(generated) -> None:
    before = _snapshot()
    ctx = BenchContext(scale=0.01, runs=2, seed=1, log=lambda m: None)

    run_lifetime(ctx)

    (figure,) = ctx.figures
    assert (figure.suite, figure.unit) == ("lifetime", "ms")
    assert len(figure.samples) == 2
    assert all(s > 0 for s in figure.samples)
    assert len(figure.floor_samples) == 2
    assert all(s > 0 for s in figure.floor_samples)
    assert "2,000 orders" in figure.note
    assert _snapshot() == before
