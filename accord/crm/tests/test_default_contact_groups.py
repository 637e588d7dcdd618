"""oro-spec #7: "Sales Group" and "Marketing Group" exist right after install, in every
organization, including those created later and those that existed before the rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from accord.crm.models import ContactGroup
from accord.crm.services.contact_groups import DEFAULT_GROUPS, contact_groups_ensure_defaults
from accord.platform.models import Organization, User
from accord.platform.search import search
from accord.platform.services.organization import business_unit_create
from accord.platform.setup import install_ensure
from accord.platform.tests.fixtures import Tree


def _labels(organization: Organization) -> list[str]:
    return sorted(ContactGroup.objects.filter(organization=organization).values_list("label", flat=True))


def test_a_fresh_install_has_the_groups_without_a_second_migrate(db: Any) -> None:
    """The test database is migrated before any organization exists, like `accord setup`."""
    assert not Organization.objects.exists()
    install_ensure()
    organization = Organization.objects.get()
    assert _labels(organization) == sorted(DEFAULT_GROUPS)
    admin = User.objects.get(username="admin")
    assert ContactGroup.objects.filter(business_unit=admin.business_unit).count() == 2
    assert search(admin, "Marketing Group", entity="crm.contact_group")


def test_an_organization_created_later_gets_them_with_its_top_unit_once(tree: Tree) -> None:
    newcomer = Organization.objects.create(name="Newcomer")
    assert _labels(newcomer) == []  # no unit yet: nothing could own them
    top = business_unit_create(organization=newcomer, name="Head office")
    business_unit_create(organization=newcomer, name="Branch", parent=top)
    business_unit_create(organization=newcomer, name="Second top")
    assert _labels(newcomer) == sorted(DEFAULT_GROUPS)
    assert set(
        ContactGroup.objects.filter(organization=newcomer).values_list("business_unit", flat=True)
    ) == {top.pk}
    assert _labels(tree.org) == _labels(tree.other_org) == sorted(DEFAULT_GROUPS)
    assert contact_groups_ensure_defaults(organization=newcomer) == 0


@pytest.mark.django_db(transaction=True)  # migrating back needs SQLite's schema editor
def test_the_data_migration_gives_existing_organizations_the_missing_groups(tree: Tree) -> None:
    ContactGroup.objects.filter(organization=tree.org, label="Sales Group").delete()
    ContactGroup.objects.filter(organization=tree.other_org).delete()
    bare = Organization.objects.create(name="No unit yet")
    call_command("migrate", "crm", "0003_merges", verbosity=0)
    assert _labels(tree.org) == ["Marketing Group"]  # going back removes nothing
    call_command("migrate", "crm", verbosity=0)
    assert _labels(tree.org) == _labels(tree.other_org) == sorted(DEFAULT_GROUPS)
    assert ContactGroup.objects.filter(organization=tree.org, label="Marketing Group").count() == 1
    assert _labels(bare) == []
