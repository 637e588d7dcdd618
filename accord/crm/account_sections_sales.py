"""The b2b channel's section of the account view: its business customers and their lifetime value."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string

from accord.crm.models import BusinessCustomer
from accord.crm.selectors.lifetime import account_lifetime_current
from accord.platform import acl
from accord.platform.money import base_currency

SHOWN = 50


def render_b2b(account: Any, channel: Any, request: Any) -> str | None:
    """Nothing when the user may see none of the account's business customers of this channel."""
    if not acl.can(request.user, "crm.business_customer", "view"):
        return None
    qs = BusinessCustomer.objects.filter(account=account, channel=channel).select_related("contact")
    customers = list(acl.visible(request.user, "crm.business_customer", qs).order_by("name", "pk")[:SHOWN])
    if not customers:
        return None
    amounts = {channel_id: amount for channel_id, _, _, amount in account_lifetime_current(account)}
    context = {
        "customers": customers,
        "channel_value": amounts.get(channel.pk, Decimal("0.00")),
        "currency": base_currency(),
    }
    return render_to_string("crm/console/partials/b2b_section.html", context, request=request)
