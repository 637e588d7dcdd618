"""Console pages for accounts: grid, view (general, contacts, one section per channel, customer
links, activities, history), form, delete with what goes with it."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import URLPattern
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accord.crm.console.common import checked_owner
from accord.crm.console.core_forms import AccountForm
from accord.crm.models import Account, Contact
from accord.crm.registries import account_view_sections
from accord.crm.selectors.accounts import (
    account_contacts,
    account_customer_links,
    account_delete_impact,
    organization_channels,
)
from accord.crm.selectors.lifetime import account_lifetime_summary
from accord.crm.services import accounts as services
from accord.crm.services._common import KEEP
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid, GridPage

ENTITY = "crm.account"
CONTACTS_SHOWN = 100
# The columns of the contacts panel (core_account_contacts.html).
PANEL_CONTACT_FIELDS = (*Contact.LABEL_FIELDS, "job_title")
# The related records the view page names: only what their __str__ reads.
RELATED_LABELS = (
    *(f"default_contact__{name}" for name in Contact.LABEL_FIELDS),
    "referred_by__name",
    "owner__username",
    "owner__first_name",
    "owner__last_name",
    "business_unit__name",
)


def _owner_choices(request: HttpRequest) -> list[tuple[str, str]]:
    from accord.platform.models import User

    users = User.objects.filter(organization_id=request.user.organization_id, is_active=True)
    return [(str(u.pk), str(u)) for u in users.order_by("username")[:200]]


def _checkbox(obj: Account) -> str:
    """The grid's selection for the merge wizard (the inputs belong to the page's merge form)."""
    return format_html(
        '<input class="form-check-input" type="checkbox" name="ids" value="{}" form="account-merge" '
        'aria-label="Select {}">',
        obj.pk,
        obj.name,
    )


# Counted per row by a subquery: `Count("contacts")` grouped the whole table (and the joins of the
# page's other columns) before the page's LIMIT — 70 ms for 13,000 accounts — and counted only the
# matching contacts when a filter joined the same relation.
CONTACT_COUNT = Coalesce(
    Subquery(
        Account.contacts.through.objects.filter(account_id=OuterRef("pk"))
        .order_by()
        .values("account_id")
        .annotate(n=Count("*"))
        .values("n")
    ),
    0,
)


class AccountGrid(Grid):
    entity = ENTITY
    export_name = "accounts"
    default_sort = "name"
    search_fields = ("name", "external_id")
    columns = (
        Column("select", "", value=lambda obj: _checkbox(obj), export=False),
        Column("name", "Name", sort="name", link=True),
        Column(
            "default_contact", "Default contact", value="default_contact", sort="default_contact__last_name"
        ),
        Column("contact_count", "Contacts", kind="number", sort="contact_count"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
        Column("updated_at", "Updated", kind="datetime", sort="updated_at"),
    )
    filters = (
        Filter("name", "Name"),
        Filter("owner", "Owner", kind="choice", lookup="owner_id", choices=_owner_choices),
        Filter("contact", "Contact name", lookup="contacts__last_name"),
        Filter("created_at", "Created", kind="date_range"),
    )

    can_merge = False
    can_see_merges = False

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        """The contact count in the query only to sort by it or for an export; a page counts its own
        25 accounts' contacts afterwards (sorting a search's matches computed it for each of them)."""
        qs = Account.objects.select_related("default_contact", "owner")
        if (
            request.GET.get("export")
            or self._sort(request.GET.get("sort", "")).lstrip("-") == "contact_count"
        ):
            qs = qs.annotate(contact_count=CONTACT_COUNT)
        return qs

    def page(self, request: HttpRequest) -> GridPage:
        """Selection boxes and "Merge selected" only for users who may merge (decision 0012: edit
        on the master, delete on the others); "Merges" for those who may see merge records."""
        self.can_merge = account_merge_allowed(request.user)
        self.can_see_merges = acl.can(request.user, "crm.merge", "view")
        if not self.can_merge:
            self.columns = tuple(c for c in self.columns if c.name != "select")
        page = super().page(request)
        uncounted = [row for row in page.rows if not hasattr(row, "contact_count")]
        counts = dict(
            Account.contacts.through.objects.filter(account_id__in=[row.pk for row in uncounted])
            .values("account_id")
            .annotate(n=Count("*"))
            .values_list("account_id", "n")
        )
        for row in uncounted:
            row.contact_count = counts.get(row.pk, 0)
        return page


def account_merge_allowed(user: Any) -> bool:
    """Whether the user may merge some accounts at all; each merge still checks its records."""
    return acl.can(user, ENTITY, "edit") and acl.can(user, ENTITY, "delete")


class AccountResource(ConsoleResource):
    entity = ENTITY
    name = "accounts"
    grid = AccountGrid
    form = AccountForm
    list_template = "crm/console/accounts_list.html"
    detail_template = "crm/console/account_detail.html"
    lazy_activities = True  # an account gathers the activities of its contacts, customers, documents...

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        own = [f.name for f in Account._meta.concrete_fields]
        return Account.objects.select_related(
            "default_contact", "referred_by", "owner", "business_unit"
        ).only(*own, *RELATED_LABELS)

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: Account) -> dict[str, Any]:
        contacts = account_contacts(request.user, obj)
        return {
            "name": obj.name,
            "owner": obj.owner_id,
            "default_contact": obj.default_contact_id,
            "contacts": " ".join(str(c.pk) for c in contacts),
            "referred_by": obj.referred_by_id,
            "description": obj.description,
            "external_id": obj.external_id or "",
        }

    def sections(self, request: HttpRequest, obj: Account) -> list[Section]:
        # The header of the view page (account_detail.html) shows the lifetime sales value.
        obj.lifetime_summary = account_lifetime_summary(obj)  # type: ignore[attr-defined]
        return [
            Section(
                "General",
                [
                    ("Name", obj.name),
                    ("Default contact", obj.default_contact or "—"),
                    ("Referred by", obj.referred_by or "—"),
                    ("Description", obj.description),
                    ("External id", obj.external_id),
                ],
            ),
            Section("Ownership", [("Owner", obj.owner), ("Business unit", obj.business_unit)]),
        ]

    def panels(self, request: HttpRequest, obj: Account) -> list[Panel]:
        user = request.user
        panels = []
        if acl.can(user, "crm.contact", "view"):
            contacts = account_contacts(user, obj, limit=CONTACTS_SHOWN, only=PANEL_CONTACT_FIELDS)
            panels.append(
                Panel(
                    "Contacts",
                    "crm/console/partials/core_account_contacts.html",
                    {"contacts": contacts, "more": len(contacts) == CONTACTS_SHOWN, "account": obj},
                )
            )
        panels.extend(channel_panels(request, obj))
        links = account_customer_links(user, obj, request=request)
        if links:
            panels.append(
                Panel("Customer records", "crm/console/partials/core_account_links.html", {"groups": links})
            )
        return panels

    def _fields(self, request: HttpRequest, obj: Account | None, data: dict[str, Any]) -> dict[str, Any]:
        contacts = list(data["contacts"])
        if obj is not None:
            # Contacts the user cannot see stay linked: the form only shows (and changes) visible ones.
            contacts += list(
                obj.contacts.exclude(pk__in=acl.visible(request.user, "crm.contact").values("pk"))
            )
        return {
            "name": data["name"],
            "owner": checked_owner(request, ENTITY, obj, data.get("owner")),
            "default_contact": data["default_contact"],
            "referred_by": data["referred_by"],
            "description": data["description"],
            "external_id": data["external_id"] or None,
            "contacts": contacts,
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Account:
        return services.account_create(**self._fields(request, None, data), actor=request.user)

    def update(self, request: HttpRequest, obj: Account, data: dict[str, Any]) -> Account:
        fields = self._fields(request, obj, data)
        if obj.default_contact_id and fields["default_contact"] is None:
            hidden = not acl.visible(request.user, "crm.contact").filter(pk=obj.default_contact_id).exists()
            fields["default_contact"] = KEEP if hidden else None
        return services.account_update(account=obj, **fields, actor=request.user)

    def delete(self, request: HttpRequest, obj: Account) -> None:
        services.account_delete(account=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Account) -> list[str]:
        counts = account_delete_impact(obj)
        impact = [
            f"Its {counts.pop('contacts')} contact(s) are kept; only their link to this account is removed.",
            f"Its {counts.pop('customer_links')} linked customer record(s) are kept but no longer belong "
            "to an account.",
        ]
        impact += [
            f"{count} {label} attached to this account are deleted with it."
            for label, count in counts.items()
        ]
        impact.append("Its change history is kept.")
        return impact


def channel_panels(request: HttpRequest, account: Account) -> list[Panel]:
    """One panel per channel of the organization whose type has a registered account-view section
    that renders something for this account; channels ordered by type, then name (oro-spec #74)."""
    sections = sorted(account_view_sections, key=lambda s: (s.order, s.key))
    types = {s.channel_type for s in sections}
    if not types:
        return []
    channels = organization_channels(account.organization_id, request=request)
    panels = []
    for channel in (c for c in channels if c.channel_type in types):
        for section in sections:
            if section.channel_type != channel.channel_type:
                continue
            html = section.render(account, channel, request)
            if html:
                panels.append(
                    Panel(
                        section.title or channel.name,
                        "crm/console/partials/core_html.html",
                        {"html": mark_safe(html)},  # noqa: S308 - rendered by the section's template
                    )
                )
    return panels


extra_urls: list[URLPattern] = []
