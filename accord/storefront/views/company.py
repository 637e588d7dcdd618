"""My company: the customer users of the customers the user's role reaches, roles, invitations,
enabling/disabling colleagues and their self-managed roles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accord.commerce.models import CustomerUser, CustomerUserRole
from accord.commerce.services.registration import (
    assignable_roles,
    customer_user_invite,
    customer_user_manage,
)
from accord.platform.console.pages import apply_errors
from accord.platform.errors import DomainError
from accord.storefront import access, mail
from accord.storefront.forms import InviteForm, RolesForm
from accord.storefront.views.account import default_role
from accord.storefront.views.common import actor, me, redirect, render_page, storefront_page

USERS = "commerce.customer_user"
ROLES = "commerce.customer_user_role"


def users_queryset() -> QuerySet[CustomerUser]:
    return CustomerUser.objects.select_related("customer").prefetch_related("roles")


@storefront_page
def company(request: HttpRequest) -> HttpResponse:
    user = me(request)
    users = access.visible(user, USERS, users_queryset()).order_by("customer__path", "last_name", "id")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    roles = access.visible(user, ROLES, CustomerUserRole.objects.select_related("customer"))
    context = {
        "section": "company",
        "page": page,
        "roles": list(roles.order_by("label", "id")[:200]),
        "may_see_roles": access.may(user, ROLES, "view"),
        "may_invite": access.may(user, USERS, "create"),
    }
    return render_page(request, "storefront/company/company.html", context)


@storefront_page
def invite(request: HttpRequest) -> HttpResponse:
    user = me(request)
    access.require(user, USERS, "create")
    customers = list(access.customers_for(user, USERS, "create").order_by("path")[:500])
    roles = assignable_roles(user.customer)
    form = InviteForm(request.POST or None, customers=customers, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [r for r in roles if r.pk in set(data["roles"])]
        customer = next(c for c in customers if c.pk == data["customer"])  # the choices are these
        try:
            colleague = customer_user_invite(
                customer=customer,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                roles=[default_role(), *chosen],
                actor=actor(request),
            )
        except DomainError as exc:
            apply_errors(form, exc, {"customer_id": "customer", "role_ids": "roles"})
        else:
            mail.send_invitation(request, colleague, user)
            messages.success(
                request, f"{colleague.full_name} is invited: we mailed a link to {colleague.email}."
            )
            return redirect("storefront:company_user", colleague.pk)
    return render_page(request, "storefront/company/invite.html", {"form": form, "section": "company"})


def _user_context(request: HttpRequest, colleague: CustomerUser, **extra: Any) -> dict[str, Any]:
    user = me(request)
    may_edit = access.may(user, USERS, "edit", colleague)
    roles = assignable_roles(colleague.customer) if may_edit else []
    current = {r.pk for r in colleague.roles.all()}
    form = extra.pop("form", None) or RolesForm(
        roles=roles, initial={"roles": [r.pk for r in roles if r.pk in current]}
    )
    return {"section": "company", "colleague": colleague, "may_edit": may_edit, "roles_form": form, **extra}


@storefront_page
def company_user(request: HttpRequest, pk: int) -> HttpResponse:
    colleague = access.get_visible_or_404(me(request), USERS, pk, users_queryset())
    return render_page(request, "storefront/company/user.html", _user_context(request, colleague))


@storefront_page
@require_POST
def company_user_enabled(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    colleague = access.get_for_action(user, USERS, "edit", pk, users_queryset())
    enabled = request.POST.get("enabled") == "1"
    try:
        customer_user_manage(customer_user=colleague, enabled=enabled, by=user, actor=actor(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{colleague.full_name} is {'enabled' if enabled else 'disabled'}.")
    return redirect("storefront:company_user", colleague.pk)


@storefront_page
@require_POST
def company_user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    user = me(request)
    colleague = access.get_for_action(user, USERS, "edit", pk, users_queryset())
    roles = assignable_roles(colleague.customer)
    form = RolesForm(request.POST, roles=roles)
    if form.is_valid():
        chosen = [r for r in roles if r.pk in set(form.cleaned_data["roles"])]
        try:
            customer_user_manage(customer_user=colleague, roles=chosen, by=user, actor=actor(request))
        except DomainError as exc:
            apply_errors(form, exc, {"role_ids": "roles"})
        else:
            messages.success(request, f"The roles of {colleague.full_name} are saved.")
            return redirect("storefront:company_user", colleague.pk)
    context = _user_context(request, colleague, form=form)
    return render_page(request, "storefront/company/user.html", context, status=422)
