"""Demo data and the scale generator of accounts and contacts."""

from __future__ import annotations

from typing import Any

from accord.crm import demo_core
from accord.crm.models import Account, Channel, Contact, ContactEmail, ContactGroup
from accord.platform import demo as platform_demo
from accord.platform.search import search
from accord.platform.setup import install_ensure
from accord.platform.setup_scale import demo_generate
from accord.platform.tests.fixtures import Tree


def test_demo_loader_creates_channels_accounts_and_contacts_once(tree: Tree, admin: Any) -> None:
    platform_demo.load(organization=tree.org, admin=admin, password="demo-password-for-tests-1")
    demo_core.load(organization=tree.org, admin=admin)
    demo_core.load(organization=tree.org, admin=admin)  # idempotent
    assert Account.objects.count() == len(demo_core.COMPANIES)
    assert Contact.objects.count() >= len(demo_core.COMPANIES)
    assert Channel.objects.filter(channel_type="b2b", status="active").count() == 1
    assert ContactGroup.objects.filter(organization=tree.org, label="Sales Group").exists()
    assert all(a.default_contact_id for a in Account.objects.all())
    assert Account.objects.filter(owner__username="sam.rep").exists()
    assert search(admin, "Globex", entity="crm.account")


def test_scale_generator_writes_contacts_with_emails_and_phones(db: Any) -> None:
    install_ensure()
    ctx = demo_generate(scale=0.01, seed=3, progress=lambda *a: None, only=["platform", "crm.core"])
    assert Account.objects.count() == 30
    assert Contact.objects.count() == 500  # 50,000 per unit of scale
    assert ContactEmail.objects.filter(primary=True).count() == 500
    assert Contact.objects.exclude(primary_phone="").count() == 375
    assert not Contact.objects.filter(accounts__isnull=True).exists()
    contact = Contact.objects.order_by("id").first()
    assert contact is not None
    assert search(ctx.admin, contact.primary_email, entity="crm.contact")
