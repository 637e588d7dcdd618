"""The sales share of `accord demo --scale S` and the bulk services behind it: counts per unit of
scale, every status present, lifetime values that a full recalculation agrees with, the same data
for the same seed, field errors under the row's path with nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.crm.models import (
    CLOSED_STATUSES,
    BusinessCustomer,
    Channel,
    CustomerAssociation,
    Lead,
    LeadStatus,
    Opportunity,
    OpportunityStatus,
)
from accord.crm.models.business_customers import SOURCE_TYPE
from accord.crm.services.business_customers import business_customers_bulk_create
from accord.crm.services.leads import leads_bulk_create
from accord.crm.services.lifetime import lifetime_recalculate
from accord.crm.services.opportunities import opportunities_bulk_create
from accord.platform.errors import ValidationFailed
from accord.platform.generate import FIRST_NAMES
from accord.platform.models import AuditEntry, SearchEntry
from accord.platform.money import base_currency
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate

# The bridge makes the third channel when commerce customers are generated; without commerce
# installed the key matches nothing and the CRM makes a second b2b channel instead.
KEYS = ["platform", "crm.core", "crm.sales", "commerce.customers"]


class _Undo(Exception):
    pass


def _digest() -> str:
    """A checksum of what was generated, by content (ids differ between databases)."""
    parts: list[Any] = [
        list(
            BusinessCustomer.objects.order_by("id").values_list(
                "name", "account__name", "channel__name", "lifetime"
            )
        ),
        list(Lead.objects.order_by("id").values_list("name", "first_name", "last_name", "status", "source")),
        list(
            Opportunity.objects.order_by("id").values_list(
                "name",
                "status",
                "budget_amount",
                "budget_currency",
                "base_close_revenue_amount",
                "close_date",
            )
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _generate_then_undo(seed: int) -> str:
    """Generate on the empty database, read the checksum, and roll it all back."""
    digest = ""
    try:
        with transaction.atomic():
            demo_generate(scale=0.01, seed=seed, progress=lambda *a: None, only=KEYS)
            digest = _digest()
            raise _Undo
    except _Undo:
        pass
    assert not Opportunity.objects.exists()
    return digest


@pytest.fixture
def generated(db: Any) -> dict[str, tuple[int, int]]:
    install_ensure()
    progress: dict[str, tuple[int, int]] = {}
    demo_generate(
        scale=0.01,
        seed=5,
        progress=lambda label, done, total: progress.update({label: (done, total)}),
        only=KEYS,
    )
    return progress


def test_counts_follow_the_scale_and_progress_is_reported(generated: dict[str, tuple[int, int]]) -> None:
    assert BusinessCustomer.objects.count() == 50  # 5,000 per unit
    assert Lead.objects.count() == 100  # 10,000 per unit
    assert Opportunity.objects.count() == 100  # 10,000 per unit
    assert Channel.objects.count() == 3
    assert {"custom", "b2b"} <= set(Channel.objects.values_list("channel_type", flat=True))
    for label in ("business customers", "leads", "opportunities"):
        done, total = generated[label]
        assert done == total > 0
    assert AuditEntry.objects.filter(entity="crm.opportunity", action="create").count() == 100
    assert SearchEntry.objects.filter(entity="crm.lead").count() == 100


def test_business_customers_are_linked_through_the_hub(generated: Any) -> None:
    hubs = {
        source_id: (account_id, channel_id)
        for source_id, account_id, channel_id in CustomerAssociation.objects.filter(
            source_type=SOURCE_TYPE
        ).values_list("source_id", "account_id", "channel_id")
    }
    customers = list(
        BusinessCustomer.objects.values_list("pk", "account_id", "channel_id", "channel__channel_type")
    )
    assert {pk: (a, c) for pk, a, c, _ in customers} == hubs
    assert {kind for *_, kind in customers} == {"b2b"}
    assert BusinessCustomer.objects.filter(emails__is_primary=True).count() == 50


def test_leads_reuse_people_and_cover_every_status(generated: Any) -> None:
    assert set(Lead.objects.values_list("status", flat=True)) == set(LeadStatus.values)
    qualified = Lead.objects.filter(status=LeadStatus.QUALIFIED)
    assert not qualified.filter(customer_association__isnull=True).exists()
    assert (
        not Lead.objects.exclude(status=LeadStatus.QUALIFIED)
        .filter(customer_association__isnull=False)
        .exists()
    )
    firsts = set(Lead.objects.values_list("first_name", flat=True))
    assert firsts - set(FIRST_NAMES), "some people come back slightly misspelt"
    assert firsts & set(FIRST_NAMES)


def test_opportunities_cover_statuses_currencies_and_dates(generated: Any) -> None:
    counts = dict(Opportunity.objects.values_list("status").annotate(n=Count("id")))
    assert set(counts) == set(OpportunityStatus.values)
    assert {base_currency(), "EUR", "GBP"} <= set(
        Opportunity.objects.values_list("budget_currency", flat=True)
    )
    today = timezone.localdate()
    for o in Opportunity.objects.all():
        assert today - dt.timedelta(days=730) <= o.close_date <= today + dt.timedelta(days=365)
        if o.status in CLOSED_STATUSES:
            assert o.close_date < today
            assert o.closed_at is not None
            assert o.base_budget_amount is not None
            assert o.base_close_revenue_amount is not None
        else:
            assert o.closed_at is None
            assert o.base_budget_amount is None
    lost = Opportunity.objects.filter(status=OpportunityStatus.LOST)
    assert set(lost.values_list("close_revenue_amount", flat=True)) == {Decimal("0.00")}
    assert not lost.filter(close_reason="").exists()


def test_lifetime_values_agree_with_a_full_recalculation(generated: Any) -> None:
    expected: dict[int, Decimal] = defaultdict(Decimal)
    won = Opportunity.objects.filter(
        status=OpportunityStatus.WON, customer_association__source_type=SOURCE_TYPE
    )
    for source_id, amount in won.values_list("customer_association__source_id", "base_close_revenue_amount"):
        expected[source_id] += amount
    stored = dict(BusinessCustomer.objects.values_list("pk", "lifetime"))
    assert {pk: v for pk, v in stored.items() if v} == {pk: v for pk, v in expected.items() if v}
    assert any(stored.values())
    assert lifetime_recalculate(dry_run=True) == {"business_customers": [], "pairs": []}


def test_same_seed_same_data_other_seed_other_data(db: Any) -> None:
    install_ensure()
    first = _generate_then_undo(11)
    assert first == _generate_then_undo(11)
    assert first != _generate_then_undo(12)


# --- the bulk services ----------------------------------------------------------------------


def test_bulk_business_customer_refuses_a_non_b2b_channel_and_writes_nothing(
    admin: Any, make_account: Any, b2b: Channel
) -> None:
    from accord.crm.services.channels import channel_create

    custom = channel_create(organization=admin.organization, name="Shop", channel_type="custom", actor=admin)
    account = make_account("Globex")
    rows = [
        {"name": "Globex (sales)", "account_id": account.pk, "channel": b2b},
        {"name": "Globex (shop)", "account_id": account.pk, "channel": custom},
    ]
    with pytest.raises(ValidationFailed) as caught:
        business_customers_bulk_create(rows=rows, owner=admin, actor=admin)
    assert set(caught.value.field_errors) == {"rows.1.channel_id"}
    assert not BusinessCustomer.objects.exists()
    assert not CustomerAssociation.objects.exists()


def test_bulk_rows_name_only_records_of_the_organization(admin: Any, tree: Any, b2b: Channel) -> None:
    from accord.crm.models import Account

    foreign = Account.objects.create(
        name="Elsewhere", organization=tree.other_org, business_unit=tree.other_main
    )
    with pytest.raises(ValidationFailed) as caught:
        business_customers_bulk_create(
            rows=[{"name": "X", "account_id": foreign.pk, "channel": b2b}], owner=admin, actor=admin
        )
    assert set(caught.value.field_errors) == {"rows.0.account_id"}
    with pytest.raises(ValidationFailed) as caught:
        leads_bulk_create(rows=[{"name": "Y", "account_id": foreign.pk}], owner=admin, actor=admin)
    assert set(caught.value.field_errors) == {"rows.0.account_id"}
    assert not Lead.objects.exists()
    assert not BusinessCustomer.objects.exists()


def test_bulk_opportunities_need_a_close_date_a_reason_and_a_rate(admin: Any, make_account: Any) -> None:
    account = make_account("Initech")
    past = timezone.localdate() - dt.timedelta(days=3)
    cases = [
        ({"status": "won"}, "rows.0.close_date"),
        ({"status": "lost", "close_date": past}, "rows.0.close_reason"),
        ({"budget": ("100", "CHF")}, "rows.0.budget.currency"),
        ({"budget": ("-1", "USD")}, "rows.0.budget.amount"),
        ({"status": "nope"}, "rows.0.status"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationFailed) as caught:
            opportunities_bulk_create(
                rows=[{"name": "Deal", "account_id": account.pk, **extra}], owner=admin, actor=admin
            )
        assert set(caught.value.field_errors) == {field}, extra
    assert not Opportunity.objects.exists()


def test_bulk_won_opportunities_fix_base_values_and_lifetime(
    admin: Any, make_account: Any, make_bc: Any, eur_rate: None
) -> None:
    account = make_account("Umbrella")
    customer = make_bc("Umbrella (sales)", account)
    day = dt.date(2025, 3, 1)
    closed_at = timezone.make_aware(dt.datetime(2025, 3, 1, 12))
    rows = [
        {
            "name": "A",
            "status": "won",
            "business_customer_id": customer.pk,
            "budget": ("100", "EUR"),
            "close_date": day,
            "closed_at": closed_at,
        },
        {
            "name": "B",
            "status": "won",
            "account_id": account.pk,
            "budget": ("50", base_currency()),
            "close_revenue": ("40", base_currency()),
            "close_date": day,
            "closed_at": closed_at,
        },
        {"name": "C", "status": "negotiation", "account_id": account.pk, "budget": ("70", "EUR")},
    ]
    a, b, c = opportunities_bulk_create(rows=rows, owner=admin, actor=admin)
    a.refresh_from_db()
    assert (a.close_revenue_amount, a.base_close_revenue_amount) == (Decimal("100.00"), Decimal("110.00"))
    assert a.probability == Decimal("100.00")
    assert a.close_reason == "won"
    assert c.base_budget_amount is None
    assert c.probability == Decimal("80.00")
    customer.refresh_from_db()
    assert customer.lifetime == Decimal("110.00")
    assert lifetime_recalculate(dry_run=True) == {"business_customers": [], "pairs": []}
    assert AuditEntry.objects.filter(entity="crm.opportunity", object_id=str(b.pk), action="create").exists()


def test_bulk_opportunity_statements_grow_by_batches_not_by_rows(admin: Any, make_account: Any) -> None:
    accounts = [make_account(f"Acct {n}") for n in range(6)]
    past = timezone.localdate() - dt.timedelta(days=10)

    def rows(n: int) -> list[dict[str, Any]]:
        return [
            {
                "name": f"D{i}",
                "status": ("won", "in_progress")[i % 2],
                "account_id": accounts[i % 6].pk,
                "budget": ("10", "USD"),
                "close_date": past,
            }
            for i in range(n)
        ]

    with CaptureQueriesContext(connection) as small:
        opportunities_bulk_create(rows=rows(3), owner=admin, actor=admin)
    with CaptureQueriesContext(connection) as large:
        opportunities_bulk_create(rows=rows(120), owner=admin, actor=admin)
    assert len(large.captured_queries) <= len(small.captured_queries) + 6
