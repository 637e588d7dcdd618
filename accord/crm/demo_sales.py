"""Demo data of the sales side: a b2b channel, business customers, leads and opportunities in
every status (some won, so that accounts have lifetime values). Idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.crm.models import Account, Channel, ChannelStatus, Lead
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.business_customers import business_customer_create
from accord.crm.services.leads import lead_create
from accord.crm.services.opportunities import (
    opportunity_close_lost,
    opportunity_close_won,
    opportunity_create,
)
from accord.platform.models import Organization, User

DEMO_LEAD = "Demo: office relocation"
ACCOUNTS = ("Umbrella Industries", "Stark Logistics", "Wayne Supplies")
# (title, first, last, company, email, status, source, owner)
LEADS = (
    (DEMO_LEAD, "Olivia", "Reed", "Reed & Partners", "olivia@reed.example.com", "new", "website", "sam.rep"),
    (
        "Demo: fleet of printers",
        "Jonas",
        "Berg",
        "Berg Print",
        "jonas@bergprint.example.com",
        "new",
        "call",
        "rita.rep",
    ),
    (
        "Demo: yearly supplies",
        "Mia",
        "Chen",
        "Chen Trading",
        "mia@chen.example.com",
        "disqualified",
        "other",
        "sam.rep",
    ),
)
# (name, account, status, budget, currency, days to close, owner, how it ends)
OPPORTUNITIES = (
    ("Umbrella: 200 chairs", 0, "negotiation", "70000", "USD", 20, "sam.rep", None),
    ("Umbrella: standing desks", 0, "in_progress", "25000", "EUR", 45, "sam.rep", None),
    ("Stark: logistics software", 1, "needs_analysis", "120000", "USD", 60, "rita.rep", None),
    ("Stark: warehouse shelving", 1, "solution_development", "40000", "USD", None, "rita.rep", None),
    ("Wayne: copier contract", 2, "identification_alignment", "15000", "GBP", 30, "maria.manager", None),
    ("Umbrella: toner 2025", 0, "in_progress", "9000", "USD", -10, "sam.rep", "won"),
    ("Stark: paper framework", 1, "in_progress", "18000", "USD", -20, "rita.rep", "won"),
    ("Wayne: desk lamps", 2, "in_progress", "5000", "USD", -5, "maria.manager", "lost"),
)


def _b2b_channel(organization: Organization, admin: User) -> Channel:
    channel = Channel.objects.filter(organization=organization, channel_type="b2b").order_by("id").first()
    if channel is not None:
        return channel
    from accord.crm.services.channels import channel_create

    return channel_create(
        organization=organization,
        name="Sales team",
        channel_type="b2b",
        status=ChannelStatus.ACTIVE,
        actor=admin,
    )


RATES = (("EUR", "1.08"), ("GBP", "1.27"))


def _rates(admin: User, today: dt.date) -> None:
    """Rates for the demo's foreign-currency budgets, unless some exist (the base currency needs none)."""
    from accord.platform.models import CurrencyRate
    from accord.platform.money import base_currency, currency_rate_set

    for currency, rate in RATES:
        if currency != base_currency() and not CurrencyRate.objects.filter(currency=currency).exists():
            currency_rate_set(
                currency=currency, rate=Decimal(rate), valid_from=today - dt.timedelta(days=365), actor=admin
            )


def load(*, organization: Organization, admin: User, **_: Any) -> None:
    if Lead.objects.filter(organization=organization, name=DEMO_LEAD).exists():
        return
    from accord.crm.services.accounts import account_create

    users = {u.username: u for u in User.objects.filter(organization=organization)}
    owner = lambda name: users.get(name, admin)  # noqa: E731
    channel = _b2b_channel(organization, admin)
    accounts = []
    for name in ACCOUNTS:
        found = Account.objects.filter(organization=organization, name=name).first()
        accounts.append(found or account_create(name=name, owner=admin, actor=admin))
    for account in accounts:
        business_customer_create(
            name=f"{account.name} (sales)",
            account=account,
            channel=channel,
            emails=[{"email": f"purchasing@{account.name.split()[0].lower()}.example.com", "primary": True}],
            addresses=[{"kind": "billing", "street": "1 Demo Way", "city": "Springfield", "country": "US"}],
            owner=admin,
            actor=admin,
        )
    for title, first, last, company, email, status, source, owner_name in LEADS:
        lead_create(
            name=title,
            first_name=first,
            last_name=last,
            company_name=company,
            status=status,
            source=source,
            emails=[{"email": email, "primary": True}],
            owner=owner(owner_name),
            actor=admin,
        )
    today = timezone.localdate()
    _rates(admin, today)
    for name, index, status, budget, currency, days, owner_name, ending in OPPORTUNITIES:
        opportunity = opportunity_create(
            name=name,
            customer_association=customer_association_for_account(account=accounts[index]),
            status=status,
            budget=(Decimal(budget), currency),
            close_date=today + dt.timedelta(days=days) if days is not None else None,
            owner=owner(owner_name),
            actor=admin,
        )
        if ending == "won":
            opportunity_close_won(opportunity=opportunity, close_date=opportunity.close_date, actor=admin)
        elif ending == "lost":
            opportunity_close_lost(
                opportunity=opportunity,
                close_date=opportunity.close_date,
                close_reason="outsold",
                actor=admin,
            )
