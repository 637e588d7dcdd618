"""Generic console pages for a registered entity: grid, view, create, edit, delete.

A domain app declares a `ConsoleResource` per entity (grid, form, services to call, detail
sections); the views here parse input, check the ACL, call the service and render.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from accord.platform import acl
from accord.platform.audit import history
from accord.platform.console.grid import Grid
from accord.platform.console.pages import apply_errors, console_view
from accord.platform.errors import DomainError, Forbidden
from accord.platform.registries import EntityDef, entities
from accord.platform.selectors import activities_for


@dataclass
class Section:
    """A block of label/value pairs on a view page."""

    title: str
    rows: list[tuple[str, Any]]


@dataclass
class Panel:
    """A block rendered by its own template on a view page (related grids, charts...)."""

    title: str
    template: str
    context: dict[str, Any]


class ConsoleResource:
    entity: str = ""
    name: str = ""  # URL prefix and URL-name stem: "accounts" -> console:accounts_list
    grid: type[Grid] = Grid
    form: type[forms.Form] | None = None
    list_template = "platform/console/list.html"
    detail_template = "platform/console/detail.html"
    form_template = "platform/console/form.html"
    delete_template = "platform/console/delete.html"
    # The activity list comes with the page (False) or right after it through htmx (True): records that
    # gather activities from many related records (accounts) keep their page fast that way.
    lazy_activities = False

    # --- what a subclass provides ------------------------------------------------------
    def detail_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.definition.get_model()._default_manager.all()

    def sections(self, request: HttpRequest, obj: Any) -> list[Section]:
        return []

    def panels(self, request: HttpRequest, obj: Any) -> list[Panel]:
        return []

    def initial(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {}

    def form_kwargs(self, request: HttpRequest, obj: Any | None) -> dict[str, Any]:
        return {}

    def create(self, request: HttpRequest, data: dict[str, Any]) -> Any:
        raise Forbidden("Records of this kind cannot be created here.")

    def update(self, request: HttpRequest, obj: Any, data: dict[str, Any]) -> Any:
        raise Forbidden("This change cannot be made here.")

    def delete(self, request: HttpRequest, obj: Any) -> None:
        raise Forbidden("This change cannot be made here.")

    def delete_impact(self, request: HttpRequest, obj: Any) -> list[str]:
        """What goes (or changes) with the record, shown on the delete confirmation."""
        return []

    def title_of(self, obj: Any) -> str:
        return str(obj)

    def actions(self, request: HttpRequest, obj: Any) -> list[tuple[str, str, str]]:
        """Extra buttons on the view page: (label, url, css class)."""
        return []

    can_create = True
    can_edit = True
    can_delete = True

    # --- plumbing ---------------------------------------------------------------------------
    @property
    def definition(self) -> EntityDef:
        return entities.get(self.entity)

    def url(self, kind: str, obj: Any = None) -> str:
        name = f"console:{self.name}_{kind}"
        return reverse(name, kwargs={"pk": obj.pk}) if obj is not None else reverse(name)

    def urls(self) -> list[URLPattern]:
        patterns = [
            path(f"{self.name}/", self._wrap(self.list_view, "view"), name=f"{self.name}_list"),
            path(f"{self.name}/<int:pk>/", self._wrap(self.detail_view, "view"), name=f"{self.name}_view"),
        ]
        if self.lazy_activities:
            patterns.append(
                path(
                    f"{self.name}/<int:pk>/activities/",
                    self._wrap(self.activities_view, "view"),
                    name=f"{self.name}_activities",
                )
            )
        if self.form is not None and self.can_create:
            patterns.append(
                path(f"{self.name}/new/", self._wrap(self.create_view, "create"), name=f"{self.name}_create")
            )
        if self.form is not None and self.can_edit:
            patterns.append(
                path(
                    f"{self.name}/<int:pk>/edit/",
                    self._wrap(self.edit_view, "edit"),
                    name=f"{self.name}_edit",
                )
            )
        if self.can_delete:
            patterns.append(
                path(
                    f"{self.name}/<int:pk>/delete/",
                    self._wrap(self.delete_view, "delete"),
                    name=f"{self.name}_delete",
                )
            )
        return patterns

    def _wrap(self, view: Any, action: str) -> Any:
        return console_view(self.entity, action)(view)

    def _base_context(self, request: HttpRequest) -> dict[str, Any]:
        user = request.user
        return {
            "resource": self,
            "entity": self.definition,
            "can_create": self.form is not None and self.can_create and acl.can(user, self.entity, "create"),
        }

    def list_view(self, request: HttpRequest) -> HttpResponseBase:
        grid = self.grid()
        if request.GET.get("export") == "csv":
            return grid.export_csv(request)
        page = grid.page(request)
        context = {**self._base_context(request), "page": page, "grid_id": f"grid-{self.name}"}
        if getattr(request, "htmx", False) and request.htmx.target == context["grid_id"]:
            return render(request, "platform/console/grid.html", context)
        return render(request, self.list_template, context)

    def get_object(self, request: HttpRequest, pk: int, action: str = "view") -> Any:
        if action == "view":
            return acl.get_visible_or_404(request.user, self.entity, pk, self.detail_queryset(request))
        return acl.get_for_action(request.user, self.entity, action, pk, self.detail_queryset(request))

    def detail_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk)
        user = request.user
        lazy = self.lazy_activities and self.definition.activities
        context = {
            **self._base_context(request),
            "obj": obj,
            "title": self.title_of(obj),
            "sections": self.sections(request, obj),
            "panels": self.panels(request, obj),
            "extra_actions": self.actions(request, obj),
            "can_edit": self.form is not None and self.can_edit and acl.can(user, self.entity, "edit", obj),
            "can_delete": self.can_delete and acl.can(user, self.entity, "delete", obj),
            "history": list(history(self.entity, obj.pk)[:50]),
            "activities": [] if lazy else self._activities(request, obj),
            "activities_url": self.url("activities", obj) if lazy else None,
            "can_add_activity": self.definition.activities and acl.can(user, "platform.activity", "create"),
        }
        return render(request, self.detail_template, context)

    def _activities(self, request: HttpRequest, obj: Any) -> list[Any] | None:
        if not self.definition.activities:
            return None
        return list(activities_for(request.user, entity=self.entity, pk=obj.pk)[:50])

    def activities_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The view page's activity list on its own (`lazy_activities`), as the page would show it."""
        obj = self.get_object(request, pk)
        context = {
            "entity": self.definition,
            "obj": obj,
            "activities": self._activities(request, obj),
            "next_path": self.url("view", obj),
        }
        return render(request, "platform/console/partials/activities.html", context)

    def _form(self, request: HttpRequest, obj: Any | None, data: Any = None) -> forms.Form:
        assert self.form is not None
        initial = self.initial(request, obj) if obj is not None else {}
        return self.form(data=data, initial=initial, **self.form_kwargs(request, obj))

    def create_view(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, None, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.create(request, form.cleaned_data)
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{self.definition.label} “{self.title_of(obj)}” was created.")
                return redirect(self.url("view", obj))
        context = {
            **self._base_context(request),
            "form": form,
            "title": f"New {self.definition.label.lower()}",
        }
        return render(request, self.form_template, context, status=400 if form.errors else 200)

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk, "edit")
        form = self._form(request, obj, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                obj = self.update(request, obj, form.cleaned_data)
            except DomainError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, f"{self.definition.label} “{self.title_of(obj)}” was saved.")
                return redirect(self.url("view", obj))
        context = {
            **self._base_context(request),
            "form": form,
            "obj": obj,
            "title": f"Edit {self.title_of(obj)}",
        }
        return render(request, self.form_template, context, status=400 if form.errors else 200)

    def delete_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(request, pk, "delete")
        if request.method == "POST":
            title = self.title_of(obj)
            try:
                self.delete(request, obj)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect(self.url("view", obj))
            messages.success(request, f"{self.definition.label} “{title}” was deleted.")
            return redirect(self.url("list"))
        context = {
            **self._base_context(request),
            "obj": obj,
            "title": f"Delete {self.title_of(obj)}",
            "impact": self.delete_impact(request, obj),
        }
        return render(request, self.delete_template, context)
