"""The platform's own console pages: dashboard, search, profile and tokens, settings, jobs, activities."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accord.platform import acl
from accord.platform.console.forms import (
    ActivityForm,
    PasswordChangeForm,
    ProfileForm,
    TokenForm,
    setting_field,
)
from accord.platform.console.grid import Column, Filter, Grid
from accord.platform.console.pages import apply_errors, console_view
from accord.platform.errors import DomainError
from accord.platform.models import Activity, Job, JobStatus
from accord.platform.registries import dashboard_widgets, entities, setting_defs, setting_sections
from accord.platform.search import search
from accord.platform.services import activities as activity_services
from accord.platform.services import settings as setting_services
from accord.platform.services import tokens as token_services
from accord.platform.services import users as user_services


@console_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    widgets = []
    for widget in sorted(dashboard_widgets, key=lambda w: (w.order, w.title)):
        if widget.entity and not acl.can(request.user, widget.entity, "view"):
            continue
        widgets.append({"widget": widget, "context": widget.context(request)})
    return render(request, "platform/console/dashboard.html", {"widgets": widgets})


@console_view()
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    hits = search(request.user, q, limit=50) if q else []
    template = (
        "platform/console/partials/search_results.html" if request.htmx else "platform/console/search.html"
    )
    return render(request, template, {"q": q, "hits": hits})


@console_view()
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST if request.method == "POST" and "save_profile" in request.POST else None,
        initial={f: getattr(user, f) for f in ("email", "first_name", "last_name", "title", "phone")},
    )
    if form.is_bound and form.is_valid():
        try:
            user_services.user_update(user=user, actor=user, **form.cleaned_data)
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Your profile was saved.")
            return redirect("console:profile")
    context = {
        "form": form,
        "password_form": PasswordChangeForm(),
        "token_form": TokenForm(),
        "tokens": list(user.api_tokens.all()),
        "new_token": request.session.pop("new_token", None),
    }
    return render(request, "platform/console/profile.html", context, status=400 if form.errors else 200)


@console_view()
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user_services.user_change_password(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password was changed.")
            return redirect("console:profile")
    return render(
        request, "platform/console/password_change.html", {"form": form}, status=400 if form.errors else 200
    )


@console_view()
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = token_services.token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            request.session["new_token"] = {"name": token.name, "token": raw}
            messages.success(
                request, f"Token “{token.name}” was created. Copy it now: it is shown only once."
            )
    elif request.method == "POST":
        messages.error(request, "A token needs a name.")
    return redirect("console:profile")


@console_view()
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        token = token_services.token_revoke(user=request.user, token_id=pk, actor=request.user)
        messages.success(request, f"Token “{token.name}” was revoked.")
    return redirect("console:profile")


@console_view("platform.setting", "view")
def settings_page(request: HttpRequest, section: str | None = None) -> HttpResponse:
    sections = sorted(setting_sections, key=lambda s: (s.order, s.label))
    if not sections:
        return render(request, "platform/console/settings.html", {"sections": [], "current": None})
    current = next((s for s in sections if s.key == section), sections[0])
    definitions = sorted(
        (d for d in setting_defs if d.section == current.key), key=lambda d: (d.order, d.label)
    )
    from django import forms

    form = forms.Form(request.POST or None)
    for definition in definitions:
        form.fields[definition.key] = setting_field(definition)
        form.initial[definition.key] = setting_services.setting_get(definition.key)
    can_edit = acl.can(request.user, "platform.setting", "edit")
    if request.method == "POST":
        acl.require(request.user, "platform.setting", "edit")
        if form.is_valid():
            try:
                setting_services.settings_update(values=form.cleaned_data, actor=request.user)
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{current.label} settings were saved.")
                return redirect("console:settings_section", section=current.key)
    context = {"sections": sections, "current": current, "form": form, "can_edit": can_edit}
    return render(request, "platform/console/settings.html", context, status=400 if form.errors else 200)


class JobGrid(Grid):
    entity = "platform.job"
    export_name = "jobs"
    default_sort = "-created_at"
    search_fields = ("label", "type")
    columns = (
        Column("label", "Job", sort="label", link=True),
        Column("status", "Status", value=lambda j: j.get_status_display(), kind="badge", sort="status"),
        Column("progress", "Progress", value=lambda j: f"{j.percent}%", export=False),
        Column("done", "Done", kind="number"),
        Column("total", "Total", kind="number"),
        Column("error_count", "Row errors", kind="number", sort="error_count"),
        Column("created_at", "Created", kind="datetime", sort="created_at"),
        Column("finished_at", "Finished", kind="datetime", sort="finished_at"),
    )
    filters = (
        Filter("status", "Status", kind="choice", choices=tuple(JobStatus.choices)),
        Filter("created_at", "Created", kind="date_range"),
    )

    def row_url(self, obj: Any) -> str:
        return reverse("console:job_view", kwargs={"pk": obj.pk})


@console_view("platform.job", "view")
def jobs_list(request: HttpRequest) -> HttpResponse:
    grid = JobGrid()
    if request.GET.get("export") == "csv":
        return grid.export_csv(request)
    context = {"page": grid.page(request), "grid_id": "grid-jobs", "entity": entities.get("platform.job")}
    if request.htmx and request.htmx.target == "grid-jobs":
        return render(request, "platform/console/grid.html", context)
    return render(request, "platform/console/jobs.html", context)


@console_view("platform.job", "view")
def job_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = acl.get_visible_or_404(request.user, "platform.job", pk, Job.objects.select_related("created_by"))
    context = {"job": job, "errors": list(job.errors.all()[:200])}
    if request.htmx:
        return render(request, "platform/console/partials/job_progress.html", context)
    return render(request, "platform/console/job.html", context)


@console_view("platform.activity", "create")
def activity_add(request: HttpRequest, entity: str, pk: int) -> HttpResponse:
    form = ActivityForm(request.POST or None)
    target = acl.get_visible_or_404(request.user, entity, pk)
    back = entities.get(entity).view_url(target.pk) or reverse("console:dashboard")
    if request.method == "POST" and form.is_valid():
        try:
            activity_services.activity_create(
                actor=request.user, target_entity=entity, target_id=target.pk, **form.cleaned_data
            )
        except DomainError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "The activity was added.")
            return redirect(back)
    context = {"form": form, "target": target, "back": back, "entity": entities.get(entity)}
    return render(request, "platform/console/activity_form.html", context, status=400 if form.errors else 200)


@console_view("platform.activity", "edit")
def activity_complete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = acl.get_visible_or_404(request.user, "platform.activity", pk, Activity.objects.all())
    if request.method == "POST":
        activity_services.activity_complete(actor=request.user, activity=activity)
        messages.success(request, f"Task “{activity.subject}” is done.")
    back = entities.get(activity.target_entity).view_url(activity.target_id) or reverse("console:dashboard")
    return redirect(request.POST.get("next") or back)
