"""Demo data of the core CRM: channels, contact groups, a few dozen accounts and their contacts."""

from __future__ import annotations

import random
from typing import Any

from accord.crm.models import Account, Channel, ContactGroup
from accord.crm.services.accounts import account_create
from accord.crm.services.channels import channel_create
from accord.crm.services.contact_groups import contact_groups_ensure_defaults
from accord.crm.services.contacts import contact_create
from accord.platform.models import Organization, User

COMPANIES = (
    "Acme Industries", "Globex", "Initech", "Umbrella Logistics", "Stark Components", "Wayne Fabrication",
    "Soylent Foods", "Hooli", "Vandelay Imports", "Cyberdyne Systems", "Tyrell Biotech", "Wonka Confections",
    "Oscorp Materials", "Gringotts Finance", "Monarch Paper", "Dunder Supplies", "Prestige Worldwide",
    "Nakatomi Trading", "Blue Sun", "Aperture Labs", "Black Mesa", "Massive Dynamic", "Pied Piper",
    "Sterling Cooper", "Bluth Company", "Kruger Industrial", "Octan Fuel", "Rekall", "Virtucon", "Zorg Works",
)  # fmt: skip
FIRST = ("Ann", "Ben", "Chloe", "Dev", "Eva", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Luca")
LAST = ("Meyer", "Novak", "Okafor", "Petrov", "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Varga", "Weber")
TITLES = ("CEO", "CFO", "Buyer", "Head of Purchasing", "Operations Manager", "IT Director", "")


def load(*, organization: Organization, admin: User, **_: Any) -> None:
    contact_groups_ensure_defaults(organization=organization)
    if not Channel.objects.filter(organization=organization).exists():
        channel_create(
            organization=organization, name="Direct sales", channel_type="b2b", status="active", actor=admin
        )
        channel_create(
            organization=organization,
            name="Partners",
            channel_type="custom",
            customer_identity="crm.business_customer",
            entities=["crm.business_customer", "crm.lead"],
            actor=admin,
        )
    if Account.objects.filter(organization=organization).exists():
        return
    rng = random.Random(42)  # the same demo every time
    owners = list(User.objects.filter(organization=organization, is_active=True, business_unit__isnull=False))
    groups = list(ContactGroup.objects.filter(organization=organization))
    for index, company in enumerate(COMPANIES):
        owner = owners[index % len(owners)]
        domain = company.lower().split()[0] + ".example.com"
        contacts = []
        for n in range(rng.randint(1, 3)):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            contacts.append(
                contact_create(
                    actor=admin,
                    owner=owner,
                    first_name=first,
                    last_name=last,
                    job_title=rng.choice(TITLES),
                    source=rng.choice(("call", "tv", "website", "other", "")),
                    emails=[{"email": f"{first}.{last}{n}@{domain}".lower(), "primary": True}],
                    phones=[{"phone": f"+1 555 {rng.randint(1000, 9999)}", "primary": True}]
                    if n == 0
                    else [],
                    groups=[rng.choice(groups)] if groups and rng.random() < 0.4 else [],
                )
            )
        account_create(
            name=company,
            actor=admin,
            owner=owner,
            contacts=contacts,
            default_contact=contacts[0],
            description=f"{company} — demo account.",
        )
