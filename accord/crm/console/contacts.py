"""Console pages for contacts: grid, view (details, emails, phones, addresses, accounts), form, delete."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accord.crm.console.common import checked_owner
from accord.crm.console.core_forms import ContactForm
from accord.crm.models import Contact, ContactSource
from accord.crm.services import contacts as services
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid

ENTITY = "crm.contact"
SCALARS = (*services.TEXT_FIELDS, *services.CHOICES, "description")
ADDRESS = ("street", "city", "postal_code", "region", "country")


def _group_choices(request: HttpRequest) -> list[tuple[str, str]]:
    groups = acl.visible(request.user, "crm.contact_group").order_by("label")[:200]
    return [(str(g.pk), g.label) for g in groups]


def _checkbox(obj: Contact) -> str:
    """The grid's selection for the merge wizard (the inputs belong to the page's merge form)."""
    return format_html(
        '<input class="form-check-input" type="checkbox" name="ids" value="{}" form="contact-merge" '
        'aria-label="Select {}">',
        obj.pk,
        obj,
    )


class ContactGrid(Grid):
    entity = ENTITY
    export_name = "contacts"
    default_sort = "last_name"
    search_fields = ("first_name", "last_name", "primary_email", "primary_phone")
    columns = (
        Column("select", "", value=lambda obj: _checkbox(obj), export=False),
        Column("first_name", "First name", sort="first_name", link=True),
        Column("last_name", "Last name", sort="last_name", link=True),
        Column("primary_email", "Email", sort="primary_email"),
        Column("primary_phone", "Phone", sort="primary_phone"),
        Column("job_title", "Job title", sort="job_title"),
        Column("source", "Source", value="get_source_display", sort="source"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("email", "Email", lookup="primary_email"),
        Filter("phone", "Phone", lookup="primary_phone"),
        Filter("account", "Account", lookup="accounts__name"),
        Filter("group", "Group", kind="choice", lookup="groups__id", choices=_group_choices),
        Filter("source", "Source", kind="choice", choices=tuple(ContactSource.choices)),
        Filter("created_at", "Created", kind="date_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Contact.objects.select_related("owner")


class ContactResource(ConsoleResource):
    entity = ENTITY
    name = "contacts"
    grid = ContactGrid
    form = ContactForm
    list_template = "crm/console/contacts_list.html"

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Contact.objects.select_related(
            "owner", "business_unit", "assigned_to", "reports_to"
        ).prefetch_related("emails", "phones", "addresses", "groups")

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"user": request.user}

    def initial(self, request: HttpRequest, obj: Contact) -> dict[str, Any]:
        primary = next((a for a in obj.addresses.all() if a.primary), None)
        data: dict[str, Any] = {name: getattr(obj, name) for name in SCALARS}
        data.update(
            owner=obj.owner_id,
            birthday=obj.birthday,
            assigned_to=obj.assigned_to_id,
            reports_to=obj.reports_to_id,
            groups=list(obj.groups.all()),
            emails="\n".join(e.email for e in obj.emails.all()),
            phones="\n".join(p.phone for p in obj.phones.all()),
            address_types=primary.types if primary else [],
        )
        if primary is not None:
            data.update({name: getattr(primary, name) for name in ADDRESS})
        return data

    def sections(self, request: HttpRequest, obj: Contact) -> list[Section]:
        return [
            Section(
                "General",
                [
                    ("Name", obj.full_name),
                    ("Job title", obj.job_title),
                    ("Gender", obj.get_gender_display()),
                    ("Birthday", obj.birthday),
                    ("Source", obj.get_source_display()),
                    ("Contact method", obj.get_method_display()),
                    ("Reports to", obj.reports_to or "—"),
                    ("Description", obj.description),
                ],
            ),
            Section(
                "Communication",
                [
                    ("Emails", ", ".join(e.email for e in obj.emails.all())),
                    ("Phones", ", ".join(p.phone for p in obj.phones.all())),
                    ("Fax", obj.fax),
                    ("Skype", obj.skype),
                    ("Twitter", obj.twitter),
                    ("Facebook", obj.facebook),
                    ("LinkedIn", obj.linkedin),
                    ("Google+", obj.google_plus),
                ],
            ),
            Section(
                "Ownership",
                [
                    ("Owner", obj.owner),
                    ("Assigned to", obj.assigned_to or "—"),
                    ("Business unit", obj.business_unit),
                    ("Groups", ", ".join(g.label for g in obj.groups.all()) or "—"),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: Contact) -> list[Panel]:
        accounts = list(acl.visible(request.user, "crm.account", obj.accounts.all()).order_by("name")[:100])
        return [
            Panel("Accounts", "crm/console/partials/core_contact_accounts.html", {"accounts": accounts}),
            Panel(
                "Addresses",
                "crm/console/partials/core_contact_addresses.html",
                {"addresses": obj.addresses.all()},
            ),
        ]

    def _fields(self, request: HttpRequest, obj: Contact | None, data: dict[str, Any]) -> dict[str, Any]:
        fields = {name: data.get(name) or "" for name in SCALARS}
        fields.update(
            owner=checked_owner(request, ENTITY, obj, data.get("owner")),
            birthday=data.get("birthday"),
            assigned_to=data.get("assigned_to"),
            reports_to=data.get("reports_to"),
            groups=list(data.get("groups") or []),
            emails=data["emails"],
            phones=data["phones"],
            addresses=_addresses(obj, data),
        )
        return fields

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Contact:
        return services.contact_create(**self._fields(request, None, data), actor=request.user)

    def update(self, request: HttpRequest, obj: Contact, data: dict[str, Any]) -> Contact:
        return services.contact_update(contact=obj, **self._fields(request, obj, data), actor=request.user)

    def delete(self, request: HttpRequest, obj: Contact) -> None:
        services.contact_delete(contact=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Contact) -> list[str]:
        accounts = obj.accounts.count()
        defaults = obj.default_in_accounts.count()
        impact = [
            f"It is removed from {accounts} account(s) and {obj.groups.count()} group(s); they are kept.",
            "Its emails, phones and addresses are deleted with it.",
        ]
        if defaults:
            impact.append(f"{defaults} account(s) lose their default contact.")
        return impact


def _addresses(obj: Contact | None, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The form edits the primary address; the contact's other addresses are kept as they are."""
    others = []
    if obj is not None:
        for a in obj.addresses.filter(primary=False):
            row = {name: getattr(a, name) for name in ("label", "street2", *ADDRESS)}
            types = [t for t in a.types if t not in (data.get("address_types") or [])]
            others.append({**row, "types": types, "primary": False})
    primary = {name: data.get(name) or "" for name in ADDRESS}
    if not any(primary.values()):
        if others:
            others[0]["primary"] = True
        return others
    return [{**primary, "types": list(data.get("address_types") or []), "primary": True}, *others]
