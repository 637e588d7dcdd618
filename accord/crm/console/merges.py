"""Console: the account merge wizard (from the grid's selection) and the merges list with undo."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from accord.crm.api.merges import require_undo
from accord.crm.models import Account, Contact, Merge
from accord.crm.services.contact_merges import COLLECTIONS as CONTACT_COLLECTIONS
from accord.crm.services.contact_merges import FIELDS as CONTACT_FIELDS
from accord.crm.services.contact_merges import contacts_merge
from accord.crm.services.merges import COLLECTIONS, FIELDS, accounts_merge, merge_undo
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Section
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.console.pages import console_view
from accord.platform.errors import DomainError, Forbidden, ValidationFailed


@dataclass(frozen=True)
class MergeKind:
    """What the wizard merges: accounts or contacts."""

    entity: str
    model: Any
    plural: str
    list_url: str
    fields: tuple[str, ...]
    collections: tuple[str, ...]
    merge: Callable[..., Any]


KINDS = {
    "accounts": MergeKind(
        "crm.account", Account, "accounts", "console:accounts_list", FIELDS, COLLECTIONS, accounts_merge
    ),
    "contacts": MergeKind(
        "crm.contact",
        Contact,
        "contacts",
        "console:contacts_list",
        tuple(CONTACT_FIELDS),
        CONTACT_COLLECTIONS,
        contacts_merge,
    ),
}


def _ids(request: HttpRequest) -> list[int]:
    raw = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    try:
        return list(dict.fromkeys(int(v) for v in raw))
    except ValueError:
        return []


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _show(record: Any, name: str, collections: tuple[str, ...]) -> Any:
    if name in collections:
        return f"{getattr(record, name).count()} item(s)"
    return getattr(record, name) or "—"


def merge_wizard(request: HttpRequest, kind: MergeKind) -> HttpResponse:
    """The records picked in the grid: pick the master and, per field, the winning value."""
    records = list(
        acl.visible(request.user, kind.entity, kind.model.objects.filter(pk__in=_ids(request))).order_by("pk")
    )
    if len(records) < 2:
        messages.error(request, f"Select at least two {kind.plural} to merge.")
        return redirect(kind.list_url)
    names = (*kind.fields, *kind.collections)
    context: dict[str, Any] = {
        "kind": kind,
        "records": records,
        "fields": [(name, _label(name)) for name in kind.fields],
        "collections": [(name, _label(name)) for name in kind.collections],
        "values": {r.pk: {name: _show(r, name, kind.collections) for name in names} for r in records},
        "chosen": {name: request.POST.get(f"choice_{name}", "") for name in names},
        "modes": {name: request.POST.get(f"mode_{name}", "append") for name in kind.collections},
        "master_id": _int(request.POST.get("master"), records[0].pk),
        "title": f"Merge {len(records)} {kind.plural}",
    }
    if request.method == "POST":
        try:
            result = _run(request, kind, records, context)
        except Forbidden:
            raise  # a denied merge is a 403 page, not a form error
        except DomainError as exc:
            errors = exc.field_errors if isinstance(exc, ValidationFailed) else {"": [exc.message]}
            context["errors"] = [f"{k + ': ' if k else ''}{m}" for k, ms in errors.items() for m in ms]
        else:
            if result.merge is None:
                context["preview"] = result.summary
            else:
                messages.success(request, f"{len(records)} {kind.plural} were merged. You can undo it here.")
                return redirect("console:merges_view", pk=result.merge.pk)
    status = 400 if context.get("errors") else 200
    return render(request, "crm/console/account_merge.html", context, status=status)


def _int(raw: Any, default: int) -> int:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return default


def _run(request: HttpRequest, kind: MergeKind, records: list[Any], context: dict[str, Any]) -> Any:
    user = request.user
    master = next((r for r in records if r.pk == context["master_id"]), None)
    if master is None:
        raise ValidationFailed({"master": "Choose the master among the selected records."})
    acl.require(user, kind.entity, "edit", master)
    others = [r for r in records if r.pk != master.pk]
    for other in others:
        acl.require(user, kind.entity, "delete", other)
    choices = {name: int(value) for name, value in context["chosen"].items() if value}
    return kind.merge(
        master=master,
        others=others,
        field_choices=choices,
        collections=context["modes"],
        dry_run=request.POST.get("action") != "merge",
        actor=user,
    )


@console_view("crm.account", "edit")
def account_merge_view(request: HttpRequest) -> HttpResponse:
    return merge_wizard(request, KINDS["accounts"])


@console_view("crm.contact", "edit")
def contact_merge_view(request: HttpRequest) -> HttpResponse:
    return merge_wizard(request, KINDS["contacts"])


class MergeGrid(Grid):
    entity = "crm.merge"
    export_name = "merges"
    default_sort = "-created_at"
    columns = (
        Column("master_name", "Master record", sort="master_name", link=True),
        Column("entity", "Of", value=lambda m: "Contacts" if m.entity == "crm.contact" else "Accounts"),
        Column("merged_names", "Merged records", value=lambda m: ", ".join(m.merged_names)),
        Column("status", "Status", value="get_status_display", kind="badge", sort="status"),
        Column("actor", "By", value="actor"),
        Column("created_at", "Merged", kind="datetime", sort="created_at"),
        Column("undone_at", "Undone", kind="datetime", sort="undone_at"),
    )
    filters = (
        Filter(
            "entity", "Of", kind="choice", choices=(("crm.account", "Accounts"), ("crm.contact", "Contacts"))
        ),
        Filter("status", "Status", kind="choice", choices=(("done", "Merged"), ("undone", "Undone"))),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Merge.objects.select_related("actor").defer("state")


class MergeResource(ConsoleResource):
    entity = "crm.merge"
    name = "merges"
    grid = MergeGrid
    can_create = False
    can_edit = False
    can_delete = False

    def sections(self, request: HttpRequest, obj: Merge) -> list[Section]:
        summary = obj.summary
        changed = [f"{k}: {v['old']} → {v['new']}" for k, v in summary.get("fields", {}).items()]
        return [
            Section(
                "Merge",
                [
                    ("Master record", obj.master_name),
                    ("Merged records", ", ".join(obj.merged_names)),
                    ("Status", obj.get_status_display()),
                    ("By", obj.actor or "System"),
                    ("Undone", obj.undone_at),
                ],
            ),
            Section(
                "What changed",
                [
                    ("Fields of the master", "; ".join(changed) or "—"),
                    ("Contacts", f"{len(summary.get('contacts', {}).get('new', []))} after the merge"),
                    ("Customer links moved", len(summary.get("customer_links", []))),
                    (
                        "Other records moved",
                        ", ".join(f"{k}: {v}" for k, v in summary.get("moved", {}).items()) or "—",
                    ),
                    ("Activities moved", summary.get("activities", 0)),
                ],
            ),
        ]

    def actions(self, request: HttpRequest, obj: Merge) -> list[tuple[str, str, str]]:
        if obj.status != "done":
            return []
        master = reverse(_view_name(obj), args=[obj.master_id])
        return [
            ("Master record", master, ""),
            ("Undo", reverse("console:merges_undo", args=[obj.pk]), "btn-warning"),
        ]


@console_view("crm.merge", "view")
def merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    merge = acl.get_visible_or_404(request.user, "crm.merge", pk)
    if request.method == "POST":
        try:
            require_undo(request.user, merge)
            merge_undo(merge=merge, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
            return render(
                request,
                "crm/console/merge_undo.html",
                {"merge": merge, "error": exc.message},
                status=exc.status,
            )
        messages.success(request, f"The merge was undone: {', '.join(merge.merged_names)} are back.")
        return redirect(_view_name(merge), pk=merge.master_id)
    return render(request, "crm/console/merge_undo.html", {"merge": merge})


def _view_name(merge: Merge) -> str:
    return "console:contacts_view" if merge.entity == "crm.contact" else "console:accounts_view"


urls: list[URLPattern] = [
    path("accounts/merge/", account_merge_view, name="accounts_merge"),
    path("contacts/merge/", contact_merge_view, name="contacts_merge"),
    path("merges/<int:pk>/undo/", merge_undo_view, name="merges_undo"),
]
