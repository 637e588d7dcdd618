"""Console pages for opportunities (grid, view, form, delete, close won / close lost) and the forecast."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from accord.crm.console.common import checked_owner
from accord.crm.console.sales_actions import action_page
from accord.crm.console.sales_common import form_fields, money
from accord.crm.console.sales_forms import CloseLostForm, CloseWonForm, ForecastForm, OpportunityForm
from accord.crm.models import CLOSED_STATUSES, CustomerAssociation, Opportunity, OpportunityStatus
from accord.crm.registries import customer_sources, opportunity_view_sections
from accord.crm.selectors.forecast import deviation, forecast, forecast_as_of
from accord.crm.services import opportunities as services
from accord.crm.services.associations import customer_association_for_account
from accord.crm.services.sales_common import KEEP
from accord.crm.widgets_sales import quarter_range
from accord.platform import acl
from accord.platform.console.crud import ConsoleResource, Panel, Section
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.console.pages import console_view
from accord.platform.errors import ValidationFailed
from accord.platform.money import base_currency

ENTITY = "crm.opportunity"


def _money(amount: Any, currency: str) -> str:
    return "—" if amount is None else f"{amount} {currency}"


class OpportunityGrid(Grid):
    entity = ENTITY
    export_name = "opportunities"
    default_sort = "-created_at"
    search_fields = ("name", "customer_association__account__name")
    columns = (
        Column("name", "Name", sort="name", link=True),
        Column(
            "account",
            "Account",
            value="customer_association.account.name",
            sort="customer_association__account__name",
        ),
        Column("status", "Status", value="get_status_display", sort="status", kind="badge"),
        Column("probability", "Probability %", kind="number", sort="probability"),
        Column(
            "budget",
            "Budget",
            value=lambda o: _money(o.budget_amount, o.budget_currency),
            sort="budget_amount",
        ),
        Column("close_date", "Close date", kind="date", sort="close_date"),
        Column("owner", "Owner", value="owner", sort="owner__username"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(OpportunityStatus.choices)),
        Filter("account", "Account", lookup="customer_association__account__name"),
        Filter("close_date", "Close date", kind="date_range"),
        Filter("budget_amount", "Budget", kind="number_range"),
    )

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Opportunity.objects.select_related("customer_association__account", "owner")


class OpportunityResource(ConsoleResource):
    entity = ENTITY
    name = "opportunities"
    grid = OpportunityGrid
    form = OpportunityForm

    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return Opportunity.objects.select_related(
            "customer_association__account", "contact", "lead", "owner", "business_unit"
        )

    def form_kwargs(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "user": request.user,
            "current": obj.customer_association if obj is not None else None,
            "choices_url": reverse("console:opportunities_customer_choices"),
        }
        if obj is None:
            kwargs["initial_account"] = request.GET.get("account")  # "New opportunity" of an account
        return kwargs

    def initial(self, request: HttpRequest, obj: Opportunity) -> dict[str, Any]:
        hub = obj.customer_association
        names = (
            "name",
            "status",
            "probability",
            "budget_amount",
            "budget_currency",
            "close_revenue_amount",
            "close_revenue_currency",
            "close_date",
            "close_reason",
            "customer_need",
            "proposed_solution",
            "notes",
        )
        initial = {name: getattr(obj, name) for name in names}
        initial.update(
            owner=obj.owner_id,
            contact=obj.contact_id,
            account=hub.account_id if hub else None,
            customer=hub.pk if hub and hub.source_type else None,
        )
        return initial

    def sections(self, request: HttpRequest, obj: Opportunity) -> list[Section]:
        hub = obj.customer_association
        base = base_currency()
        return [
            Section(
                "General",
                [
                    ("Account", hub.account if hub else "—"),
                    ("Customer", _customer_name(request, hub)),
                    ("Status", obj.get_status_display()),
                    ("Probability", f"{obj.probability} %"),
                    ("Contact", obj.contact or "—"),
                    ("Lead", obj.lead or "—"),
                    ("Owner", obj.owner),
                ],
            ),
            Section(
                "Money and dates",
                [
                    ("Budget", _money(obj.budget_amount, obj.budget_currency)),
                    ("Budget in base currency", _money(obj.base_budget_amount, base)),
                    ("Close revenue", _money(obj.close_revenue_amount, obj.close_revenue_currency)),
                    ("Close revenue in base currency", _money(obj.base_close_revenue_amount, base)),
                    ("Expected close date", obj.close_date),
                    ("Closed at", obj.closed_at),
                    ("Close reason", obj.get_close_reason_display()),
                ],
            ),
            Section(
                "Details",
                [
                    ("Customer need", obj.customer_need),
                    ("Proposed solution", obj.proposed_solution),
                    ("Notes", obj.notes),
                ],
            ),
        ]

    def panels(self, request: HttpRequest, obj: Opportunity) -> list[Panel]:
        """What other modules show on the opportunity (`opportunity_view_sections`)."""
        panels = []
        for section in sorted(opportunity_view_sections, key=lambda s: (s.order, s.key)):
            html = section.render(obj, request)
            if html:
                panels.append(
                    Panel(
                        section.title,
                        "crm/console/partials/core_html.html",
                        {"html": mark_safe(html)},  # noqa: S308 - rendered by the section's template
                    )
                )
        return panels

    def actions(self, request: HttpRequest, obj: Opportunity) -> list[tuple[str, str, str]]:
        if obj.status in CLOSED_STATUSES or not acl.can(request.user, ENTITY, "edit", obj):
            return []
        return [
            ("Close won", reverse("console:opportunities_close_won", kwargs={"pk": obj.pk}), "btn-success"),
            (
                "Close lost",
                reverse("console:opportunities_close_lost", kwargs={"pk": obj.pk}),
                "btn-outline-danger",
            ),
        ]

    def _hub(self, data: dict[str, Any]) -> Any:
        """The hub row chosen: a customer record of the account (offered by the form), else the account."""
        account = data.get("account")
        if account is None:
            raise ValidationFailed({"account": "Choose the account of the opportunity."})
        if data.get("customer") is not None:
            row = CustomerAssociation.objects.filter(pk=data["customer"], account_id=account.pk).first()
            if row is None:
                raise ValidationFailed({"customer": "This customer belongs to another account."})
            return row
        return customer_association_for_account(account=account)

    def _fields(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": data["name"],
            "status": data["status"],
            "probability": data["probability"] if data["probability"] is not None else KEEP,
            "budget": money(data, "budget"),
            "close_revenue": money(data, "close_revenue"),
            "close_date": data["close_date"],
            "close_reason": data["close_reason"],
            "contact": data["contact"],
            "customer_need": data["customer_need"],
            "proposed_solution": data["proposed_solution"],
            "notes": data["notes"],
            "owner": checked_owner(request, ENTITY, obj, data.get("owner")),
        }

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Opportunity:
        with form_fields():
            return services.opportunity_create(
                **self._fields(request, None, data), customer_association=self._hub(data), actor=request.user
            )

    def update(self, request: HttpRequest, obj: Opportunity, data: dict[str, Any]) -> Opportunity:
        hub = self._hub(data)
        with form_fields():
            return services.opportunity_update(
                opportunity=obj,
                **self._fields(request, obj, data),
                customer_association=KEEP if hub.pk == obj.customer_association_id else hub,
                actor=request.user,
            )

    def delete(self, request: HttpRequest, obj: Opportunity) -> None:
        services.opportunity_delete(opportunity=obj, actor=request.user)

    def delete_impact(self, request: HttpRequest, obj: Opportunity) -> list[str]:
        if obj.status == OpportunityStatus.WON:
            return ["It is won: the lifetime sales value of its customer and account goes down."]
        return ["Its activities stay in the history of the account."]

    def close_won_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def run(obj: Opportunity, data: dict[str, Any]) -> Any:
            with form_fields():
                return services.opportunity_close_won(
                    opportunity=obj,
                    close_date=data["close_date"],
                    close_revenue=money(data, "close_revenue"),
                    actor=request.user,
                )

        return action_page(
            self,
            request,
            pk,
            form_class=_userless(CloseWonForm),
            label="Close won",
            run=run,
            initial={"close_date": timezone.localdate()},
        )

    def close_lost_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        def run(obj: Opportunity, data: dict[str, Any]) -> Any:
            return services.opportunity_close_lost(
                opportunity=obj,
                close_date=data["close_date"],
                close_reason=data["close_reason"],
                actor=request.user,
            )

        return action_page(
            self,
            request,
            pk,
            form_class=_userless(CloseLostForm),
            label="Close lost",
            run=run,
            initial={"close_date": timezone.localdate()},
        )

    def urls(self) -> list[URLPattern]:
        return [
            *super().urls(),
            path(
                "opportunities/<int:pk>/close-won/",
                self._wrap(self.close_won_view, "edit"),
                name="opportunities_close_won",
            ),
            path(
                "opportunities/<int:pk>/close-lost/",
                self._wrap(self.close_lost_view, "edit"),
                name="opportunities_close_lost",
            ),
        ]


def _customer_name(request: HttpRequest, hub: Any) -> str:
    """The customer record behind the hub row ("—" for the account itself or one the user may not see)."""
    if hub is None or not hub.source_type or hub.source_type not in customer_sources:
        return "—"
    source = customer_sources.get(hub.source_type)
    record = source.fetch([hub.source_id], request.user).get(hub.source_id)
    return f"{record.name} ({source.label.lower()})" if record else "—"


def _userless(form_class: Any) -> Any:
    def make(*args: Any, user: Any = None, **kwargs: Any) -> Any:
        return form_class(*args, **kwargs)

    return make


@console_view(ENTITY, "view")
def forecast_page(request: HttpRequest) -> HttpResponse:
    """oro-spec §2.11: the forecast for a close-date range and owners, compared to a past date."""
    start, end = quarter_range(timezone.localdate())
    form = ForecastForm(request.GET or None, user=request.user, initial={"date_from": start, "date_to": end})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    date_from = data.get("date_from", start) if form.is_bound else start
    date_to = data.get("date_to", end) if form.is_bound else end
    owners = [u.pk for u in data.get("owner", [])]
    now = forecast(request.user, date_from=date_from, date_to=date_to, owner_ids=owners)
    rows = [(label, getattr(now, name), None) for name, label in FIGURES]
    compare = data.get("compare_to")
    if compare:
        moment = timezone.make_aware(timezone.datetime.combine(compare, timezone.datetime.max.time()))
        then = forecast_as_of(
            request.user, moment=moment, date_from=date_from, date_to=date_to, owner_ids=owners
        )
        rows = [
            (label, getattr(now, name), deviation(getattr(now, name), getattr(then, name)))
            for name, label in FIGURES
        ]
    context = {
        "form": form,
        "rows": rows,
        "currency": base_currency(),
        "date_from": date_from,
        "date_to": date_to,
        "compare_to": compare,
    }
    return render(request, "crm/console/forecast.html", context)


FIGURES = (
    ("in_progress", "In progress"),
    ("total", "Total forecast"),
    ("weighted", "Weighted forecast"),
    ("indeterminate_total", "Total indeterminate forecast"),
    ("indeterminate_weighted", "Weighted indeterminate forecast"),
)


@console_view(ENTITY, "view")
def customer_choices_page(request: HttpRequest) -> HttpResponse:
    """The customer options of the opportunity form for the account chosen (htmx refresh)."""
    form = OpportunityForm(data={"account": request.GET.get("account", "")}, user=request.user)
    options = format_html_join("", '<option value="{}">{}</option>', form.fields["customer"].choices)
    return HttpResponse(options)


extra_urls = [
    path("forecast/", forecast_page, name="forecast"),
    path(
        "opportunities/customer-choices/",
        customer_choices_page,
        name="opportunities_customer_choices",
    ),
]
