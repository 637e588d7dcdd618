"""oro-spec #7: "Sales Group" and "Marketing Group" exist in every organization.

This gives them to the organizations that exist when the migration runs (an install upgraded from
before the rule); organizations created later get them when their top business unit is created
(`organization_setups`, registered by the CRM). Historical models only: the labels are data.
"""

from typing import Any

from django.db import migrations

DEFAULT_GROUPS = ("Sales Group", "Marketing Group")


def forward(apps: Any, schema_editor: Any) -> None:
    alias = schema_editor.connection.alias
    Organization = apps.get_model("platform", "Organization")
    BusinessUnit = apps.get_model("platform", "BusinessUnit")
    ContactGroup = apps.get_model("crm", "ContactGroup")
    for organization in Organization.objects.using(alias).order_by("id"):
        unit = (
            BusinessUnit.objects.using(alias)
            .filter(organization=organization, parent__isnull=True)
            .order_by("id")
            .first()
        )
        if unit is None:
            continue  # not usable yet: it gets the groups with its top unit
        existing = set(
            ContactGroup.objects.using(alias)
            .filter(organization=organization, label__in=DEFAULT_GROUPS)
            .values_list("label", flat=True)
        )
        ContactGroup.objects.using(alias).bulk_create(
            ContactGroup(label=label, organization=organization, business_unit=unit)
            for label in DEFAULT_GROUPS
            if label not in existing
        )


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_merges"), ("platform", "0003_currency_rates")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=False)]
