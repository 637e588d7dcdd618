"""The core CRM's share of `accord demo --scale S`: accounts and contacts with emails and phones.

Per unit of scale: 3,000 accounts and 50,000 contacts (each with one to two emails and, for most,
a phone), every contact linked to one or two accounts. Rows are written with bulk statements; the
people are left in `ctx.shared["people"]` so that later generators (customer users, leads) reuse
them with slightly different spellings.
"""

from __future__ import annotations

from typing import Any

from accord.crm.models import Account, Contact, ContactEmail, ContactPhone
from accord.platform.generate import ScaleContext, ScaleGenerator, chunks, misspell, scale_generators
from accord.platform.rows import instances_insert
from accord.platform.search import search_index_update

BATCH = 2000


def _owned(owner: Any) -> dict[str, Any]:
    return {
        "owner": owner,
        "business_unit_id": owner.business_unit_id,
        "organization_id": owner.organization_id,
    }


def generate(ctx: ScaleContext) -> None:
    users = [u for u in ctx.users() if u.business_unit_id]
    people = ctx.shared.setdefault("people", [])
    total_accounts = ctx.count(3000, minimum=5)
    total_contacts = ctx.count(50_000, minimum=10)
    accounts = instances_insert(
        [Account(name=ctx.company(), **_owned(users[n % len(users)])) for n in range(total_accounts)]
    )
    ctx.progress("accounts", len(accounts), total_accounts)
    done = 0
    for batch in chunks(list(range(total_contacts)), BATCH):
        contacts, emails, phones = [], [], []
        for n in batch:
            if people and ctx.rng.random() < 0.2:
                first, last = (misspell(ctx.rng, part) for part in ctx.rng.choice(people))
            else:
                first, last = ctx.person()
                people.append((first, last))
            email = f"{first}.{last}.{n}@crm{ctx.seed}.example.com".lower()
            phone = f"+1 555 {ctx.rng.randint(100, 999)} {ctx.rng.randint(1000, 9999)}" if n % 4 else ""
            contacts.append(
                Contact(
                    first_name=first,
                    last_name=last,
                    primary_email=email,
                    primary_phone=phone,
                    **_owned(users[n % len(users)]),
                )
            )
            emails.append(
                [email] + ([f"{first}{n}@mail{ctx.seed}.example.org".lower()] if n % 3 == 0 else [])
            )
            phones.append(phone)
        created = instances_insert(contacts)
        instances_insert(
            ContactEmail(contact=c, email=e, primary=i == 0)
            for c, rows in zip(created, emails, strict=True)
            for i, e in enumerate(rows)
        )
        instances_insert(
            ContactPhone(contact=c, phone=p, primary=True) for c, p in zip(created, phones, strict=True) if p
        )
        links = {(accounts[ctx.rng.randrange(len(accounts))].pk, c.pk) for c in created}
        links |= {
            (accounts[ctx.rng.randrange(len(accounts))].pk, c.pk) for c in created if ctx.rng.random() < 0.2
        }
        instances_insert(Account.contacts.through(account_id=a, contact_id=c) for a, c in sorted(links))
        search_index_update(entity="crm.contact", ids=[c.pk for c in created])
        done += len(created)
        ctx.progress("contacts", done, total_contacts)
    for batch in chunks([a.pk for a in accounts], BATCH):
        search_index_update(entity="crm.account", ids=batch)
    ctx.shared["account_ids"] = [a.pk for a in accounts]


def register() -> None:
    scale_generators.register("crm.core", ScaleGenerator("crm.core", "Accounts and contacts", generate, 10))
