"""A console page that runs one action on a record (close won/lost, convert a lead) through a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.platform.console.crud import ConsoleResource
from accord.platform.console.pages import apply_errors
from accord.platform.errors import DomainError


def action_page(
    resource: ConsoleResource,
    request: HttpRequest,
    pk: int,
    *,
    form_class: Callable[..., forms.Form],
    label: str,
    run: Callable[[Any, dict[str, Any]], Any],
    warnings: Callable[[Any], list[str]] | None = None,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """Parse the form, call the service (`run(obj, data)` returns the record to show), render errors."""
    obj = resource.get_object(request, pk, "edit")
    data = request.POST if request.method == "POST" else None
    form = form_class(data, initial=initial or {}, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shown = run(obj, form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"{label}: done.")
            return redirect(_view_url(shown))
    context = {
        "resource": resource,
        "entity": resource.definition,
        "obj": obj,
        "form": form,
        "action_label": label,
        "title": f"{label}: {resource.title_of(obj)}",
        "warnings": warnings(obj) if warnings else [],
    }
    return render(request, "crm/console/action_form.html", context, status=400 if form.errors else 200)


def _view_url(record: Any) -> str:
    from accord.platform.registries import entity_for_model

    definition = entity_for_model(type(record))
    url = definition.view_url(record.pk) if definition else None
    return url or "/console/"
