"""Turning the bridge on over an existing commerce database (oro-spec §2.2, items 40-41).

Run once by the data migration `0002_existing_customers`: the active commerce channel of every
organization, an account and hub row for every customer (per the strategy), and lifetime values
that are right at once (the reference leaves them at zero until a manual recalculation).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accord.commerce.models import Customer
from accord.crm_commerce.services import linking
from accord.crm_commerce.services._common import commerce_channels
from accord.crm_commerce.services.recalculate import lifetime_recalculate
from accord.platform.models import Organization


def bridge_install(*, actor: Any = None) -> dict[str, int]:
    with transaction.atomic():
        channels = commerce_channels(Organization.objects.values_list("pk", flat=True))
        linked = linking.customers_link(
            customer_ids=Customer.objects.filter(linking.not_linked()).values_list("pk", flat=True),
            actor=actor,
        )
        report = lifetime_recalculate(fix=True)
    return {
        "channels": len(channels),
        "customers_linked": len(linked),
        "values_fixed": len(report.customer_differences) + len(report.pair_differences),
    }
