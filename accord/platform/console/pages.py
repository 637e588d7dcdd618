"""Helpers every console page uses: the console decorator and the mapping of domain errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accord.platform import acl
from accord.platform.errors import DomainError, Forbidden, NotFound, ValidationFailed


def render_error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    template = {403: "platform/console/403.html", 404: "platform/console/404.html"}.get(
        status, "platform/console/error.html"
    )
    return render(request, template, {"message": message, "status": status}, status=status)


def console_view(
    entity: str | None = None, action: str = "view", *, administrators_only: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Log-in required; optional entity permission; domain errors become 403/404/409 pages."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if administrators_only and not acl.is_administrator(request.user):
                return render_error(request, 403, "Only administrators may open this page.")
            if entity and not acl.can(request.user, entity, action):
                return render_error(request, 403, "Your role does not allow this.")
            try:
                return view(request, *args, **kwargs)
            except Forbidden as exc:
                return render_error(request, 403, exc.message)
            except NotFound as exc:
                return render_error(request, 404, exc.message)
            except DomainError as exc:
                return render_error(request, exc.status, exc.message)

        return wrapped

    return decorator


def apply_errors(form: forms.BaseForm, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's errors on the form fields they name (or on the form itself)."""
    field_map = field_map or {}
    errors = exc.field_errors if isinstance(exc, ValidationFailed) else {exc.field or "": [exc.message]}
    for name, messages in errors.items():
        target = field_map.get(name, name)
        if target.endswith("_id") and target[:-3] in form.fields:
            target = target[:-3]
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403, "You are not allowed to open this page.")


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404, "This page does not exist, or you may not see it.")


def handler500(request: HttpRequest) -> HttpResponse:
    from django.template import loader

    return HttpResponse(loader.get_template("platform/console/500.html").render(), status=500)
