"""CSV imports: header checks, row-level errors with line numbers, each row its own transaction."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.platform.errors import Forbidden, ValidationFailed
from accord.platform.imports import import_start
from accord.platform.jobs import job_run
from accord.platform.models import JobStatus, User

CSV = (
    "username,email,business_unit,roles\n"
    "ann.rep,ann@example.com,Sales East,sales_rep\n"
    "bob bad,bob@example.com,Nowhere,sales_rep\n"
    "cid.rep,cid@example.com,Sales,sales_rep;no_such_role\n"
    "dan.rep,dan@example.com,Sales,\n"
)


def test_import_writes_good_rows_and_reports_bad_ones_with_line_numbers(tree, admin) -> None:
    job = import_start(importer_key="users", content=CSV.encode(), actor=admin, queue=False)

    job = job_run(job_id=job.pk)

    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"imported": 2, "failed": 2, "file": "upload.csv"}
    assert set(
        User.objects.filter(username__in=["ann.rep", "dan.rep"]).values_list("username", flat=True)
    ) == {
        "ann.rep",
        "dan.rep",
    }
    errors = sorted((e.row, e.field) for e in job.errors.all())
    assert errors == [("3", "business_unit"), ("4", "roles")]
    assert not User.objects.filter(username__in=["bob bad", "cid.rep"]).exists()
    assert (job.done, job.total) == (4, 4)


def test_import_refuses_a_file_without_required_columns_before_queueing(tree, admin) -> None:
    with pytest.raises(ValidationFailed) as exc:
        import_start(importer_key="users", content=b"email,first_name\nx@example.com,X\n", actor=admin)

    assert "business_unit" in exc.value.field_errors["file"][0]
    assert "username" in exc.value.field_errors["file"][0]


def test_import_refuses_unknown_columns_and_non_utf8(tree, admin) -> None:
    with pytest.raises(ValidationFailed) as unknown:
        import_start(importer_key="users", content=b"username,business_unit,shoe_size\n", actor=admin)
    with pytest.raises(ValidationFailed) as binary:
        import_start(importer_key="users", content=b"\xff\xfe\x00bad", actor=admin)

    assert "shoe_size" in unknown.value.field_errors["columns"][0]
    assert "UTF-8" in binary.value.field_errors["file"][0]


def test_import_needs_create_permission(tree, make_user) -> None:
    viewer = make_user("viewer", grants={"platform.user": {"view": 4}})

    with pytest.raises(Forbidden):
        import_start(importer_key="users", content=CSV.encode(), actor=viewer)


def test_import_through_the_api_answers_the_job(
    tree, admin, api_as, django_capture_on_commit_callbacks
) -> None:
    client = api_as(admin)
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.client.post(
            "/api/v1/imports", {"importer": "users", "file": upload}, headers=client.headers
        )

    assert response.status_code == 201, response.content
    job = client.get(f"jobs/{response.json()['id']}").json()
    assert job["status"] == "succeeded"
    assert job["result"]["imported"] == 2
    assert [e["row"] for e in job["errors"]] == ["3", "4"]


def test_import_console_page_uploads_and_redirects_to_the_job(tree, admin, console_as) -> None:
    client = console_as(admin)
    upload = SimpleUploadedFile("people.csv", CSV.encode(), content_type="text/csv")

    page = client.get("/console/imports/")
    response = client.post("/console/imports/", {"importer": "users", "file": upload})

    assert page.status_code == 200
    assert b"Download a template" in page.content
    assert response.status_code == 302
    assert response.url.startswith("/console/jobs/")


def test_import_console_page_shows_a_header_error_on_the_file_field(tree, admin, console_as) -> None:
    client = console_as(admin)
    upload = SimpleUploadedFile("people.csv", b"nope\n1\n", content_type="text/csv")

    response = client.post("/console/imports/", {"importer": "users", "file": upload})

    assert response.status_code == 400
    assert b"Missing required column" in response.content


def test_import_command_prints_refused_lines_and_exits_non_zero(tree, admin, tmp_path, capsys) -> None:
    path = tmp_path / "users.csv"
    path.write_text(CSV)

    with pytest.raises(CommandError, match="2 row"):
        call_command("import", "users", str(path), "--user", admin.username)

    assert "line 3: business_unit" in capsys.readouterr().err
    assert User.objects.filter(username="ann.rep").exists()
