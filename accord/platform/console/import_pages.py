"""Console pages for CSV imports: pick an importer, upload a file, follow the job."""

from __future__ import annotations

import csv
import io

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accord.platform import acl
from accord.platform.console.pages import apply_errors, console_view, render_error
from accord.platform.errors import DomainError
from accord.platform.imports import Importer, import_start, importers


def allowed_importers(request: HttpRequest) -> list[Importer]:
    return [i for i in importers if acl.can(request.user, i.entity, "create")]


class ImportForm(forms.Form):
    importer = forms.ChoiceField()
    file = forms.FileField(help_text="CSV, UTF-8, the first line naming the columns.")

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["importer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


@console_view()
def imports_page(request: HttpRequest) -> HttpResponse:
    available = allowed_importers(request)
    if not available:
        return render_error(request, 403, "Your role does not allow importing anything.")
    form = ImportForm(
        request.POST or None, request.FILES or None, choices=[(i.key, i.label) for i in available]
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_start(
                importer_key=form.cleaned_data["importer"],
                content=upload.read(),
                actor=request.user,  # type: ignore[arg-type]  # console_view guarantees a user
                filename=upload.name,
            )
        except DomainError as exc:
            apply_errors(form, exc, {"columns": "file"})
        else:
            return redirect("console:job_view", pk=job.pk)
    context = {"form": form, "importers": available}
    return render(request, "platform/console/imports.html", context, status=400 if form.errors else 200)


@console_view()
def import_template(request: HttpRequest, key: str) -> HttpResponse:
    importer = next((i for i in allowed_importers(request) if i.key == key), None)
    if importer is None:
        return render_error(request, 404, "There is no such importer you may use.")
    buffer = io.StringIO()
    csv.writer(buffer).writerow(importer.header())
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-template.csv"'
    return response
