"""The account view's commerce section (oro-spec §2.7) and the explainer of commerce figures.

The account view shows a placeholder that htmx fills from `account_section_view` once the page is shown.

One query per kind of record for all the account's customers at once (bounded, whatever the
number of customers); every tab is narrowed by the viewer's ACL and hidden without the grant.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from accord.commerce.models import Customer, CustomerUser, Order, Quote, Rfq, ShoppingList
from accord.crm.selectors.accounts import account_customer_links
from accord.crm_commerce.models import CustomerLifetimeValue
from accord.crm_commerce.services._common import SOURCE, hub_rows
from accord.platform import acl
from accord.platform.console.pages import console_view
from accord.platform.errors import NotFound
from accord.platform.money import amount_text, base_currency

ROWS_PER_TAB = 10
CUSTOMERS_SHOWN = 50
# (key, label, entity, model, columns shown: (label, attribute))
TABS = (
    ("customer_users", "Customer Users", "commerce.customer_user", CustomerUser, "email"),
    ("shopping_lists", "Shopping Lists", "commerce.shopping_list", ShoppingList, "name"),
    ("rfqs", "RFQs", "commerce.rfq", Rfq, "pk"),
    ("quotes", "Quotes", "commerce.quote", Quote, "pk"),
    ("orders", "Orders", "commerce.order", Order, "identifier"),
)

# The account view's placeholder, filled by htmx once the page is shown (a template cost 0.3 ms a page).
_PLACEHOLDER_HTML = (
    '<div hx-get="{url}" hx-trigger="load" hx-swap="outerHTML" data-lazy-section>'
    '<p class="text-body-secondary mb-0">Loading customer records… <a href="{url}">open them</a></p></div>'
)


def account_customers(account: Any, channel: Any, user: Any) -> list[Customer]:
    """The account's customers in the channel that the user may view (oro-spec #75)."""
    linked = hub_rows().filter(account_id=account.pk)
    if channel is not None:
        linked = linked.filter(channel_id=channel.pk)
    queryset = Customer.objects.filter(pk__in=linked.values("source_id")).select_related("group", "parent")
    return list(acl.visible(user, "commerce.customer", queryset).order_by("name", "pk")[:CUSTOMERS_SHOWN])


def _url(name: str, pk: Any) -> str | None:
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


_PLACEHOLDER = 987654321


def _url_maker(name: str) -> Any:
    """`pk -> url` for one view name, reversed once (a page lists up to hundreds of rows)."""
    template = _url(name, _PLACEHOLDER)
    if template is None:
        return lambda pk: None
    return lambda pk: template.replace(str(_PLACEHOLDER), str(pk))


def _latest_per_customer(queryset: Any, customer: str, columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """(customer id, count of its records, *columns) of each customer's ROWS_PER_TAB newest records, in
    two queries whatever the number of customers (plain ones: cheaper to build and run than windows)."""
    counts = dict(queryset.order_by().values_list(customer).annotate(n=Count("pk")))
    if not counts:
        return []
    rows: list[tuple[Any, ...]] = []
    taken: dict[Any, int] = defaultdict(int)
    newest = queryset.order_by("-pk").values_list(customer, *columns)[: ROWS_PER_TAB * len(counts)]
    for customer_id, *values in newest:
        if taken[customer_id] < ROWS_PER_TAB:
            taken[customer_id] += 1
            rows.append((customer_id, counts[customer_id], *values))
    return rows


def _grouped(rows: list[tuple[Any, ...]], customer_ids: list[int], row: Any) -> dict[int, Any]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    counts: dict[int, int] = {}
    for customer_id, total, *columns in rows:
        counts[customer_id] = total
        grouped[customer_id].append(row(*columns))
    return {pk: {"rows": grouped.get(pk, []), "count": counts.get(pk, 0)} for pk in customer_ids}


def _tab_rows(entity: str, model: Any, attribute: str, customer_ids: list[int], user: Any) -> dict[int, Any]:
    """{customer id: {"rows": [...], "count": n}} for one kind of record (at most two queries)."""
    queryset = acl.visible(user, entity, model.objects.filter(customer_id__in=customer_ids))
    url = _url_maker(f"console:{entity.split('.')[1]}s_view")
    rows = _latest_per_customer(queryset, "customer_id", ("pk",) if attribute == "pk" else ("pk", attribute))

    def row(pk: Any, label: Any = None) -> dict[str, Any]:
        return {"id": pk, "label": f"#{pk}" if attribute == "pk" else str(label), "url": url(pk)}

    return _grouped(rows, customer_ids, row)


def _opportunities(customer_ids: list[int], user: Any) -> dict[int, Any] | None:
    from accord.crm.models import Opportunity
    from accord.crm_commerce.services._common import SOURCE

    if not acl.can(user, "crm.opportunity", "view"):
        return None
    queryset = acl.visible(
        user,
        "crm.opportunity",
        Opportunity.objects.filter(
            customer_association__source_type=SOURCE, customer_association__source_id__in=customer_ids
        ),
    )
    url = _url_maker("console:opportunities_view")
    rows = _latest_per_customer(queryset, "customer_association__source_id", ("pk", "name"))
    return _grouped(rows, customer_ids, lambda pk, name: {"id": pk, "label": name, "url": url(pk)})


def section_context(account: Any, channel: Any, user: Any) -> dict[str, Any] | None:
    from accord.crm.selectors.lifetime import account_lifetime_by_channel

    customers = account_customers(account, channel, user)
    if not customers:
        return None
    ids = [c.pk for c in customers]
    tabs = []
    for key, label, entity, model, attribute in TABS:
        if acl.can(user, entity, "view"):  # oro-spec #78: each tab needs its view grant
            tabs.append((key, label, _tab_rows(entity, model, attribute, ids, user)))
    opportunities = _opportunities(ids, user)
    if opportunities is not None:
        tabs.append(("opportunities", "Opportunities", opportunities))
    values = dict(
        CustomerLifetimeValue.objects.filter(customer_id__in=ids).values_list("customer_id", "amount")
    )
    channel_value = account_lifetime_by_channel(account.pk).get(channel.pk if channel else None, Decimal(0))
    blocks = [
        {
            "customer": c,
            "url": _url("console:customers_view", c.pk),
            "group_url": _url("console:customer_groups_view", c.group_id) if c.group_id else None,
            "parent_url": _url("console:customers_view", c.parent_id) if c.parent_id else None,
            "value": values.get(c.pk, Decimal("0.00")),
            "tabs": [{"key": k, "label": lbl, **data[c.pk]} for k, lbl, data in tabs],
        }
        for c in customers
    ]
    return {
        "account": account,
        "channel": channel,
        "blocks": blocks,
        "vertical": len(blocks) > 1,  # oro-spec #76
        "channel_value": channel_value,  # oro-spec #79
        "currency": base_currency(),
    }


def commerce_section_html(account: Any, channel: Any, request: Any) -> str | None:
    """The whole section: nothing when the viewer sees none of the account's customers."""
    if not acl.can(request.user, "commerce.customer", "view"):
        return None
    context = section_context(account, channel, request.user)
    if context is None:
        return None
    return render_to_string("crm_commerce/account_section.html", context, request=request)


def render_commerce_section(account: Any, channel: Any, request: Any) -> str | None:
    """AccountViewSection.render: a placeholder that htmx fills right after the page loads (the section
    runs a dozen queries: the page stays fast); nothing when the viewer sees none of the customers."""
    if not acl.can(request.user, "commerce.customer", "view") or channel is None:
        return None
    # The customers the viewer may see, as the page's "Customer records" panel reads them (once).
    groups = account_customer_links(request.user, account, request=request)
    if not any(g.channel_id == channel.pk and any(k.source_type == SOURCE for k in g.links) for g in groups):
        return None
    url = reverse("console:crm_commerce_account_section", kwargs={"pk": account.pk, "channel_pk": channel.pk})
    return format_html(_PLACEHOLDER_HTML, url=url)


@console_view("crm.account", "view")
def account_section_view(request: HttpRequest, pk: int, channel_pk: int) -> HttpResponse:
    """The commerce section of one account and channel, for the placeholder of the account view."""
    from accord.crm.models import Channel
    from accord.crm_commerce.services._common import CHANNEL_TYPE

    account = acl.get_visible_or_404(request.user, "crm.account", pk)
    channel = Channel.objects.filter(
        pk=channel_pk, organization_id=account.organization_id, channel_type=CHANNEL_TYPE
    ).first()
    if channel is None:
        raise NotFound(f"Channel {channel_pk} was not found.")
    html = commerce_section_html(account, channel, request)
    return HttpResponse(html or '<p class="text-body-secondary mb-0">No customer records to show.</p>')


def explain_lifetime(account: Any, channel: Any, user: Any) -> list[dict[str, Any]]:
    """The customers behind the account's commerce figure, and under each its orders' net payments."""
    from django.db.models import Sum

    from accord.commerce.models import OrderPayment, OrderRefund

    currency = base_currency()
    customers = account_customers(account, channel, user)
    values = dict(
        CustomerLifetimeValue.objects.filter(customer_id__in=[c.pk for c in customers]).values_list(
            "customer_id", "amount"
        )
    )
    records: list[dict[str, Any]] = [
        {
            "entity": "commerce.customer",
            "id": c.pk,
            "name": c.name,
            "parent_id": None,
            "amount": str(values.get(c.pk, Decimal("0.00"))),
            "currency": currency,
        }
        for c in customers
    ]
    orders = acl.visible(
        user, "commerce.order", Order.objects.filter(customer_id__in=[c.pk for c in customers])
    )
    net: dict[int, Decimal] = defaultdict(Decimal)
    for model, sign in ((OrderPayment, 1), (OrderRefund, -1)):
        for order_id, total in (
            model.objects.filter(order__in=orders)
            .order_by()
            .values_list("order_id")
            .annotate(t=Sum("base_amount"))
        ):
            net[order_id] += sign * (total or 0)
    for pk, identifier, customer_id in orders.filter(pk__in=list(net)).values_list(
        "pk", "identifier", "customer_id"
    )[:200]:
        records.append(
            {
                "entity": "commerce.order",
                "id": pk,
                "name": identifier,
                "parent_id": customer_id,
                "amount": amount_text(Decimal(net[pk])),
                "currency": currency,
            }
        )
    return records
