"""Commerce's share of `accord demo --scale S`: customer groups, customer hierarchies, customer users.

Per unit of scale: 10,000 customers in 3 groups (30% of the roots get 1-3 children, some of
them chains 4 deep) and 30,000 customer users. People are drawn from `ctx.shared["people"]` when
an earlier generator left some there, so that the same person shows up in several channels with
slightly different spellings (what duplicate detection is tested on).
"""

from __future__ import annotations

from typing import Any

from accord.commerce.models import CustomerGroup, CustomerUserRole, EntryPoint, PaymentTerm
from accord.commerce.services.bulk import customer_users_bulk_create, customers_bulk_create
from accord.platform.generate import ScaleContext, ScaleGenerator, chunks, misspell, scale_generators

GROUPS = (("Wholesale", PaymentTerm.NET_30), ("Retail", PaymentTerm.NET_15), ("Partners", PaymentTerm.NET_60))
BATCH = 5000


def _groups(ctx: ScaleContext) -> list[CustomerGroup]:
    groups = []
    for name, term in GROUPS:
        group, _ = CustomerGroup.objects.get_or_create(
            organization=ctx.organization,
            name=name,
            defaults={
                "payment_term": term,
                "owner": ctx.admin,
                "business_unit_id": ctx.admin.business_unit_id,
            },
        )
        groups.append(group)
    return groups


def _customer_rows(ctx: ScaleContext, total: int, groups: list[CustomerGroup]) -> list[dict[str, Any]]:
    """Roots, then their children; parents are always earlier rows."""
    rows: list[dict[str, Any]] = []
    while len(rows) < total:
        root = len(rows)
        rows.append({"name": ctx.company(), "parent": None, "group": ctx.rng.choice(groups)})
        if ctx.rng.random() >= 0.3:
            continue
        for _ in range(ctx.rng.randint(1, 3)):
            if len(rows) >= total:
                break
            parent = root
            depth = 4 if ctx.rng.random() < 0.1 else 1  # some chains 4 deep
            for level in range(depth):
                if len(rows) >= total:
                    break
                rows.append({"name": f"{rows[root]['name']} — Branch {level + 1}", "parent": parent})
                rows[-1]["group"] = rows[root]["group"]
                parent = len(rows) - 1
    return rows


def generate_customers(ctx: ScaleContext) -> None:
    groups = _groups(ctx)
    total = ctx.count(10_000, minimum=10)
    rows = _customer_rows(ctx, total, groups)
    ctx.progress("customers", 0, total)
    customers = customers_bulk_create(rows=rows, owner=ctx.admin, entry_point=EntryPoint.DEMO, actor=None)
    ctx.progress("customers", total, total)
    ctx.shared["customer_ids"] = [c.pk for c in customers]
    ctx.shared["customers"] = customers


def generate_customer_users(ctx: ScaleContext) -> None:
    customers = ctx.shared.get("customers") or []
    if not customers:
        return
    roles = {r.role: r for r in CustomerUserRole.objects.filter(customer__isnull=True)}
    admin_role, buyer_role = roles["ROLE_FRONTEND_ADMINISTRATOR"], roles["ROLE_FRONTEND_BUYER"]
    people = ctx.shared.setdefault("people", [])
    total = ctx.count(30_000, minimum=10)
    rows = []
    for n in range(total):
        if people and ctx.rng.random() < 0.3:
            first, last = (misspell(ctx.rng, part) for part in ctx.rng.choice(people))
        else:
            first, last = ctx.person()
            people.append((first, last))
        customer = customers[n % len(customers)]
        role = admin_role if n < len(customers) else buyer_role
        email = f"{first}.{last}.{n}@{ctx.seed}.example.com".lower()
        rows.append(
            {"email": email, "first_name": first, "last_name": last, "customer": customer, "roles": [role]}
        )
    done = 0
    for batch in chunks(rows, BATCH):
        customer_users_bulk_create(
            rows=batch, password=None, owner=ctx.admin, entry_point=EntryPoint.DEMO, actor=None
        )
        done += len(batch)
        ctx.progress("customer users", done, total)


def register() -> None:
    scale_generators.register(
        "commerce.customers",
        ScaleGenerator("commerce.customers", "Customer hierarchies", generate_customers, 20),
    )
    scale_generators.register(
        "commerce.customer_users",
        ScaleGenerator("commerce.customer_users", "Customer users", generate_customer_users, 21),
    )
