"""Console pages of the bridge: the account strategy (preview, then confirm) and customers' accounts
(who has none, one-click linking, moving a customer to another account)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accord.commerce.models import Customer
from accord.crm.models import Account
from accord.crm_commerce.services import linking, strategy
from accord.crm_commerce.services._common import STRATEGIES, current_strategy, hub_rows, links_of
from accord.platform import acl
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.console.pages import apply_errors, console_view
from accord.platform.errors import DomainError, ValidationFailed

ACCOUNTS_OFFERED = 200


class StrategyForm(forms.Form):
    strategy = forms.ChoiceField(choices=STRATEGIES, label="Create accounts")


@console_view("platform.setting", "view")
def account_strategy(request: HttpRequest) -> HttpResponse:
    """GET: the current strategy and, for a chosen one, the preview; POST: confirm the switch."""
    can_edit = acl.can(request.user, "platform.setting", "edit")
    chosen = request.POST.get("strategy") or request.GET.get("strategy") or ""
    form = StrategyForm(request.POST or {"strategy": chosen or current_strategy()})
    if request.method == "POST":
        if not can_edit:
            return render(
                request,
                "platform/console/403.html",
                {"message": "Your role does not allow this."},
                status=403,
            )
        if form.is_valid():
            try:
                job = strategy.account_strategy_switch(
                    strategy=form.cleaned_data["strategy"], actor=request.user
                )
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                if job is None:
                    messages.info(request, "The strategy is already in force; nothing to do.")
                    return redirect("console:crm_commerce_strategy")
                messages.success(request, "Strategy saved; the customers are being re-linked.")
                return redirect("console:job_view", pk=job.pk)
    preview = None
    if chosen and form.is_valid():
        preview = strategy.account_strategy_preview(strategy=form.cleaned_data["strategy"])
    context = {
        "form": form,
        "current": current_strategy(),
        "preview": preview,
        "can_edit": can_edit,
        "labels": dict(STRATEGIES),
    }
    return render(request, "crm_commerce/strategy.html", context)


def _account_name(obj: Any) -> str:
    return obj.account_name or "— no account —"


class CustomerAccountGrid(Grid):
    """Commerce customers with their account; the ones without are found with the filter."""

    entity = "commerce.customer"
    export_name = "customer-accounts"
    default_sort = "name"
    search_fields = ("name",)
    columns = (
        Column("name", "Customer", sort="name", link=True),
        Column("parent", "Parent", value="parent.name", sort="parent__name"),
        Column("account_name", "Account", value=_account_name, sort="account_name"),
        Column("linked", "Has an account", kind="bool", sort="linked"),
    )
    filters = (Filter("linked", "Has an account", kind="boolean"),)

    def base_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        link = hub_rows().filter(source_id=OuterRef("pk"))
        return Customer.objects.select_related("parent").annotate(
            linked=Exists(link), account_name=Subquery(link.values("account__name")[:1])
        )

    def row_url(self, obj: Any) -> str | None:
        return reverse("console:crm_commerce_customer_account", kwargs={"pk": obj.pk})


class _Resource:
    """Just enough of a ConsoleResource for the list template."""

    name = "crm_commerce_customers"

    class definition:  # noqa: N801 - read by the template as `entity`
        label = "Customer account"
        label_plural = "Customer accounts"


@console_view("commerce.customer", "view")
def customer_accounts(request: HttpRequest) -> HttpResponse:
    grid = CustomerAccountGrid()
    if request.GET.get("export") == "csv":
        return grid.export_csv(request)
    context = {
        "resource": _Resource,
        "entity": _Resource.definition,
        "page": grid.page(request),
        "grid_id": "grid-crm-commerce-customers",
        "can_create": False,
    }
    if getattr(request, "htmx", False) and request.htmx.target == context["grid_id"]:
        return render(request, "platform/console/grid.html", context)
    return render(request, "platform/console/list.html", context)


class AccountChoiceForm(forms.Form):
    account = forms.TypedChoiceField(coerce=int, label="Account", choices=())

    def __init__(self, *args: Any, accounts: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", "—")] + [(pk, name) for pk, name in accounts]  # type: ignore[attr-defined]


@console_view("commerce.customer", "view")
def customer_account(request: HttpRequest, pk: int) -> HttpResponse:
    """oro-spec #80: a customer's account; without one, "link to account" in one click (#39)."""
    customer = acl.get_visible_or_404(request.user, "commerce.customer", pk)
    can_edit = acl.can(request.user, "commerce.customer", "edit", customer)
    accounts = acl.visible(
        request.user, "crm.account", Account.objects.filter(organization_id=customer.organization_id)
    )
    form = AccountChoiceForm(
        request.POST or None,
        accounts=list(accounts.order_by("name").values_list("pk", "name")[:ACCOUNTS_OFFERED]),
    )
    if request.method == "POST":
        acl.get_for_action(request.user, "commerce.customer", "edit", pk)
        try:
            if "auto" in request.POST:
                linking.customers_link(customer_ids=[customer.pk], actor=request.user)
                messages.success(request, "The customer got an account.")
                return redirect("console:crm_commerce_customer_account", pk=pk)
            if form.is_valid():
                account = accounts.filter(pk=form.cleaned_data["account"]).first()
                linking.customer_account_set(customer=customer, account=account, actor=request.user)
                messages.success(request, "The customer was linked to the account.")
                return redirect("console:crm_commerce_customer_account", pk=pk)
        except ValidationFailed as exc:
            apply_errors(form, exc)
    account_id = links_of([customer.pk]).get(customer.pk)
    account = Account.objects.filter(pk=account_id).first() if account_id else None
    context = {
        "customer": customer,
        "account": account,
        "form": form,
        "can_edit": can_edit,
        "account_url": _url("console:accounts_view", account_id) if account_id else None,
        "customer_url": _url("console:customers_view", customer.pk),
    }
    return render(request, "crm_commerce/customer_account.html", context)


def _url(name: str, pk: Any) -> str | None:
    from django.urls import NoReverseMatch

    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None
