"""What every storefront page uses: the page decorator, rendering with the menu, error pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accord.commerce.models import CustomerUser
from accord.platform.errors import DomainError, Forbidden, NotFound
from accord.platform.services.settings import setting_get
from accord.storefront import access
from accord.storefront.auth import actor_for, customer_login_required, customer_user_of
from accord.storefront.registrations import REGISTRATION_ENABLED

NAV = {
    "shopping_lists": "commerce.shopping_list",
    "rfqs": "commerce.rfq",
    "quotes": "commerce.quote",
    "orders": "commerce.order",
    "company": "commerce.customer_user",
}


def nav_for(customer_user: CustomerUser | None) -> dict[str, bool]:
    if customer_user is None:
        return {}
    return {name: access.may(customer_user, key, "view") for name, key in NAV.items()}


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    user = customer_user_of(request)
    full = {
        "customer_user": user,
        "nav": nav_for(user),
        "registration_enabled": setting_get(REGISTRATION_ENABLED),
        **(context or {}),
    }
    return render(request, template, full, status=status)


def render_error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    return render_page(
        request, "storefront/error.html", {"status": status, "message": message}, status=status
    )


def storefront_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Log-in required; records outside the grant become a 404 page, refused changes a 403 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            return render_error(request, 404, "This page does not exist, or you may not see it.")
        except Forbidden as exc:
            return render_error(request, 403, exc.message)
        except DomainError as exc:
            return render_error(request, exc.status, exc.message)

    return customer_login_required(wrapped)


def me(request: HttpRequest) -> CustomerUser:
    user = customer_user_of(request)
    assert user is not None  # the page decorator let only logged-in users in
    return user


def actor(request: HttpRequest) -> Any:
    return actor_for(customer_user_of(request))


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def redirect(name: str, *args: Any) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse(name, args=args))
