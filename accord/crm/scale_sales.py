"""The sales side of the CRM in `accord demo --scale S`: channels, business customers, leads and
opportunities, written set-based through the bulk services.

Per unit of scale: 5,000 business customers (b2b channels, linked to the accounts of `crm.core`
through the hub), 10,000 leads (new / qualified / disqualified; the people of `ctx.shared["people"]`
again, slightly misspelt) and 10,000 opportunities in all seven statuses, in the base currency and
others, closing over the last two years and the next one. Three channels in all: a custom one and a
b2b one, plus the commerce channel that the bridge creates when it is installed (a second b2b
channel when it is not). Won deals give the accounts lifetime values (recomputed set-based).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from accord.crm.models import Account, Channel, ChannelStatus, LeadSource, OpportunityStatus
from accord.crm.registries import channel_types
from accord.crm.services.business_customers import business_customers_bulk_create
from accord.crm.services.channels import channel_create
from accord.crm.services.leads import leads_bulk_create
from accord.crm.services.opportunities import opportunities_bulk_create
from accord.platform.generate import ScaleContext, ScaleGenerator, chunks, misspell, scale_generators
from accord.platform.models import CurrencyRate
from accord.platform.money import base_currency, currency_rate_set

BATCH = 2000
RATES = (("EUR", Decimal("1.08")), ("GBP", Decimal("1.27")), ("USD", Decimal("1")))
HISTORY_DAYS = 730  # close dates go back two years...
FUTURE_DAYS = 365  # ...and forward one
LEAD_STATUSES = (("new", 50), ("qualified", 30), ("disqualified", 20))
OPPORTUNITY_STATUSES = (
    (OpportunityStatus.IN_PROGRESS, 15),
    (OpportunityStatus.IDENTIFICATION_ALIGNMENT, 10),
    (OpportunityStatus.NEEDS_ANALYSIS, 10),
    (OpportunityStatus.SOLUTION_DEVELOPMENT, 10),
    (OpportunityStatus.NEGOTIATION, 10),
    (OpportunityStatus.WON, 25),
    (OpportunityStatus.LOST, 20),
)
NEEDS = (
    "office chairs",
    "yearly supplies",
    "fleet of printers",
    "warehouse shelving",
    "logistics software",
    "packaging line",
    "safety equipment",
    "spare parts contract",
    "cleaning service",
    "desk lamps",
)
DEPARTMENTS = ("Purchasing", "Procurement", "Head office", "Plant", "Warehouse", "Maintenance")
JOB_TITLES = ("Buyer", "Purchasing manager", "Office manager", "CFO", "Operations lead", "")


def _weighted(ctx: ScaleContext, choices: tuple[tuple[Any, int], ...], n: int) -> Any:
    """The first rows take every value once, so that each one is present even at a tiny scale."""
    if n < len(choices):
        return choices[n][0]
    return ctx.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _rates(ctx: ScaleContext) -> None:
    """A rate for every other currency, valid since before the oldest close date."""
    since = timezone.localdate() - dt.timedelta(days=3650)
    for code, rate in RATES:
        if (
            code != base_currency()
            and not CurrencyRate.objects.filter(currency=code, valid_from__lte=since).exists()
        ):
            currency_rate_set(currency=code, rate=rate, valid_from=since)


def _channel(ctx: ScaleContext, name: str, channel_type: str) -> Channel:
    found = Channel.objects.filter(
        organization=ctx.organization, name=name, channel_type=channel_type
    ).first()
    return found or channel_create(
        organization=ctx.organization,
        name=name,
        channel_type=channel_type,
        status=ChannelStatus.ACTIVE,
        actor=ctx.admin,
    )


def _b2b_channels(ctx: ScaleContext) -> list[Channel]:
    """Custom and b2b channels; the third is the bridge's commerce channel, else a second b2b one."""
    _channel(ctx, "Retail stores", "custom")
    channels = [_channel(ctx, "Direct sales", "b2b")]
    if "commerce" not in channel_types:
        channels.append(_channel(ctx, "Partner network", "b2b"))
    return channels


def _accounts(ctx: ScaleContext) -> tuple[list[int], dict[int, str], dict[int, list[int]]]:
    """The accounts to sell to (those `crm.core` made, else the organization's), their names and contacts."""
    ids = ctx.shared.get("account_ids") or list(
        Account.objects.filter(organization=ctx.organization).order_by("id").values_list("pk", flat=True)
    )
    names: dict[int, str] = {}
    contacts: dict[int, list[int]] = defaultdict(list)
    for batch in chunks(ids, 1000):
        names.update(Account.objects.filter(pk__in=batch).values_list("pk", "name"))
        through = Account.contacts.through.objects.filter(account_id__in=batch).order_by(
            "account_id", "contact_id"
        )
        for account_id, contact_id in through.values_list("account_id", "contact_id"):
            contacts[account_id].append(contact_id)
    return ids, names, contacts


def _pick_contact(ctx: ScaleContext, contacts: dict[int, list[int]], account_id: int, share: float) -> Any:
    found = contacts.get(account_id)
    return ctx.rng.choice(found) if found and ctx.rng.random() < share else None


def generate_business_customers(ctx: ScaleContext, accounts: Any) -> list[tuple[int, int, str]]:
    """Business customers of the b2b channels: (id, account id, name) of each."""
    ids, names, contacts = accounts
    channels = _b2b_channels(ctx)
    users = ctx.users()
    total = ctx.count(5000, minimum=5)
    made: list[tuple[int, int, str]] = []
    ctx.progress("business customers", 0, total)
    for batch in chunks(list(range(total)), BATCH):
        rows = []
        for n in batch:
            account_id = ctx.rng.choice(ids)
            slug = "".join(ch for ch in names[account_id].split()[0].lower() if ch.isalnum()) or "company"
            rows.append(
                {
                    "name": f"{names[account_id]} — {ctx.rng.choice(DEPARTMENTS)}",
                    "account_id": account_id,
                    "channel": channels[0] if len(channels) == 1 or ctx.rng.random() < 0.8 else channels[1],
                    "contact_id": _pick_contact(ctx, contacts, account_id, 0.7),
                    "emails": [{"email": f"purchasing{n}@{slug}.b2b{ctx.seed}.example.com", "primary": True}],
                    "phones": [{"phone": f"+1 555 {ctx.rng.randint(100, 999)} {n:04d}"}] if n % 2 else [],
                    "owner": users[n % len(users)],
                }
            )
        created = business_customers_bulk_create(rows=rows, owner=ctx.admin, actor=None)
        made.extend((c.pk, c.account_id, c.name) for c in created)
        ctx.progress("business customers", len(made), total)
    return made


def _person(ctx: ScaleContext) -> tuple[str, str]:
    people = ctx.shared.setdefault("people", [])
    if people and ctx.rng.random() < 0.6:
        first, last = ctx.rng.choice(people)
        return misspell(ctx.rng, first), misspell(ctx.rng, last)
    first, last = ctx.person()
    people.append((first, last))
    return first, last


def generate_leads(ctx: ScaleContext, accounts: Any) -> list[tuple[int, int, Any]]:
    """Leads; qualified ones belong to an account (and often a contact): (id, account id, contact id)."""
    ids, names, contacts = accounts
    users = ctx.users()
    total = ctx.count(10_000, minimum=3)
    qualified: list[tuple[int, int, Any]] = []
    done = 0
    ctx.progress("leads", 0, total)
    for batch in chunks(list(range(total)), BATCH):
        rows = []
        for n in batch:
            status = _weighted(ctx, LEAD_STATUSES, n)
            first, last = _person(ctx)
            account_id = ctx.rng.choice(ids) if status == "qualified" else None
            company = names[account_id] if account_id else ctx.company()
            rows.append(
                {
                    "name": f"{company}: {ctx.rng.choice(NEEDS)}",
                    "status": status,
                    "source": ctx.rng.choice(LeadSource.values),
                    "first_name": first,
                    "last_name": last,
                    "company_name": company,
                    "job_title": ctx.rng.choice(JOB_TITLES),
                    "account_id": account_id,
                    "contact_id": _pick_contact(ctx, contacts, account_id, 0.5) if account_id else None,
                    "emails": [{"email": f"{first}.{last}.{n}@leads{ctx.seed}.example.net".lower()}],
                    "phones": [{"phone": f"+1 555 {ctx.rng.randint(100, 999)} {n:04d}"}] if n % 2 else [],
                    "owner": users[n % len(users)],
                }
            )
        created = leads_bulk_create(rows=rows, owner=ctx.admin, actor=None)
        qualified.extend(
            (lead.pk, row["account_id"], lead.contact_id)
            for lead, row in zip(created, rows, strict=True)
            if row["account_id"]
        )
        done += len(created)
        ctx.progress("leads", done, total)
    return qualified


def _money(ctx: ScaleContext, currencies: list[str]) -> tuple[Decimal, str]:
    currency = currencies[0] if ctx.rng.random() < 0.6 else ctx.rng.choice(currencies[1:] or currencies)
    return Decimal(ctx.rng.randint(10, 2500) * 100), currency


def _opportunity_row(
    ctx: ScaleContext, n: int, target: dict[str, Any], currencies: list[str], today: dt.date
) -> dict[str, Any]:
    status = _weighted(ctx, OPPORTUNITY_STATUSES, n)
    budget = _money(ctx, currencies)
    row: dict[str, Any] = {**target, "status": status, "budget": budget}
    row["name"] = f"{row.pop('label')}: {ctx.rng.choice(NEEDS)}"
    if status in (OpportunityStatus.WON, OpportunityStatus.LOST):
        row["close_date"] = today - dt.timedelta(days=ctx.rng.randint(1, HISTORY_DAYS))
        row["closed_at"] = timezone.make_aware(dt.datetime.combine(row["close_date"], dt.time(17)))
        if status == OpportunityStatus.WON:
            factor = Decimal(ctx.rng.randint(80, 110)) / 100
            row["close_revenue"] = ((budget[0] * factor).quantize(Decimal("0.01")), budget[1])
        else:
            row["close_reason"] = ctx.rng.choice(("outsold", "cancelled"))
    else:
        row["close_date"] = today + dt.timedelta(days=ctx.rng.randint(-90, FUTURE_DAYS))
    return row


def _target(ctx: ScaleContext, accounts: Any, customers: list[Any], leads: list[Any]) -> dict[str, Any]:
    """Whom an opportunity is for: a converted lead's account, a business customer, or an account."""
    ids, names, contacts = accounts
    roll = ctx.rng.random()
    if leads and roll < 0.15:
        lead_id, account_id, contact_id = ctx.rng.choice(leads)
        return {
            "account_id": account_id,
            "lead_id": lead_id,
            "contact_id": contact_id,
            "label": names[account_id],
        }
    if customers and roll < 0.7:
        customer_id, account_id, name = ctx.rng.choice(customers)
        contact = _pick_contact(ctx, contacts, account_id, 0.6)
        return {"business_customer_id": customer_id, "contact_id": contact, "label": name}
    account_id = ctx.rng.choice(ids)
    return {
        "account_id": account_id,
        "contact_id": _pick_contact(ctx, contacts, account_id, 0.6),
        "label": names[account_id],
    }


def generate_opportunities(ctx: ScaleContext, accounts: Any, customers: list[Any], leads: list[Any]) -> None:
    base = base_currency()
    currencies = [base] + [code for code, _ in RATES if code != base]
    users = ctx.users()
    today = timezone.localdate()
    total = ctx.count(10_000, minimum=7)
    done = 0
    ctx.progress("opportunities", 0, total)
    for batch in chunks(list(range(total)), BATCH):
        rows = []
        for n in batch:
            target = _target(ctx, accounts, customers, leads)
            rows.append(
                {**_opportunity_row(ctx, n, target, currencies, today), "owner": users[n % len(users)]}
            )
        opportunities_bulk_create(rows=rows, owner=ctx.admin, actor=None)
        done += len(batch)
        ctx.progress("opportunities", done, total)


def generate(ctx: ScaleContext) -> None:
    accounts = _accounts(ctx)
    if not accounts[0]:
        return
    _rates(ctx)
    customers = generate_business_customers(ctx, accounts)
    leads = generate_leads(ctx, accounts)
    generate_opportunities(ctx, accounts, customers, leads)
    ctx.shared["business_customer_ids"] = [pk for pk, _, _ in customers]


def register() -> None:
    scale_generators.register(
        "crm.sales",
        ScaleGenerator("crm.sales", "Channels, business customers, leads, opportunities", generate, 12),
    )
