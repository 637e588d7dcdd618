"""Background jobs: progress, row-level errors, failure, and where they show (API and console)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from accord.platform.errors import ValidationFailed
from accord.platform.jobs import job_enqueue, job_run
from accord.platform.models import Activity, Job, JobError, JobStatus, SearchEntry
from accord.platform.registries import JobType, SearchProvider, job_types, search_providers


def _count_rows(ctx, rows: int = 4, bad: tuple[int, ...] = (2,)) -> dict:
    """Walks `rows` rows, reporting progress and one error per bad row."""
    ctx.progress(0, rows, force=True)
    for row in range(1, rows + 1):
        if row in bad:
            ctx.error(f"Row {row} is broken.", row=row, field="amount")
        ctx.progress(row, force=True)
    return {"processed": rows - len(bad), "failed": len(bad)}


def _explode(ctx, at: int = 3) -> dict:
    ctx.progress(0, 10, force=True)
    for row in range(1, at):
        ctx.progress(row, force=True)
    raise RuntimeError(f"disk full at row {at}")


@pytest.fixture
def counting_job():
    with job_types.temporarily("tests.count", JobType("tests.count", "Count rows", _count_rows)) as item:
        yield item


@pytest.fixture
def exploding_job():
    with job_types.temporarily("tests.explode", JobType("tests.explode", "Explode", _explode)) as item:
        yield item


def test_an_enqueued_job_runs_after_commit_with_progress_result_and_row_errors(
    tree, admin, counting_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = job_enqueue(type="tests.count", params={"rows": 5, "bad": [2, 4]}, actor=admin)
        queued = Job.objects.get(pk=job.pk)

    job.refresh_from_db()
    assert len(callbacks) == 1
    assert queued.status == JobStatus.QUEUED
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"processed": 3, "failed": 2}
    assert job.error_count == 2
    assert job.error == ""
    assert [(e.row, e.field, e.message) for e in job.errors.all()] == [
        ("2", "amount", "Row 2 is broken."),
        ("4", "amount", "Row 4 is broken."),
    ]
    assert job.created_by == admin
    assert job.organization_id == tree.org.pk
    assert job.started_at is not None
    assert job.finished_at >= job.started_at


def test_a_failing_job_is_failed_with_the_message_and_how_far_it_got(
    tree, admin, exploding_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(type="tests.explode", params={"at": 4}, actor=admin)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: disk full at row 4"
    assert (job.done, job.total, job.percent) == (3, 10, 30)
    assert job.result is None
    assert job.finished_at is not None


def test_a_job_stays_queued_until_its_transaction_commits(
    tree, admin, counting_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(type="tests.count", actor=admin)

    assert len(callbacks) == 1  # only runs on commit
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_an_unknown_job_type_is_refused_and_nothing_is_written(tree, admin) -> None:
    with pytest.raises(ValidationFailed) as exc:
        job_enqueue(type="tests.nope", actor=admin)

    assert exc.value.field_errors == {"type": ["Unknown job type 'tests.nope'."]}
    assert Job.objects.count() == 0


def test_running_a_finished_job_again_does_nothing(tree, admin, counting_job) -> None:
    job = Job.objects.create(type="tests.count", label="Count", params={"rows": 2, "bad": []})
    first = job_run(job_id=job.pk)

    again = job_run(job_id=job.pk)

    assert first.status == JobStatus.SUCCEEDED
    assert again.finished_at == first.finished_at
    assert JobError.objects.filter(job=job).count() == 0


def test_progress_is_written_at_most_every_interval_unless_forced(tree, admin) -> None:
    def handler(ctx) -> dict:
        ctx.progress(1, 100)  # first write goes through
        ctx.progress(50)  # within the interval: kept in memory only
        seen = Job.objects.get(pk=ctx.job.pk).done
        ctx.progress(60, force=True)
        return {"seen": seen, "forced": Job.objects.get(pk=ctx.job.pk).done}

    with job_types.temporarily("tests.throttle", JobType("tests.throttle", "Throttle", handler)):
        job = Job.objects.create(type="tests.throttle", label="Throttle")
        job = job_run(job_id=job.pk)

    assert job.result == {"seen": 1, "forced": 60}
    assert (job.done, job.total) == (100, 100)  # a succeeded job counts as complete


def test_the_api_shows_progress_and_row_errors(
    tree, admin, api_as, counting_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(type="tests.count", params={"rows": 3, "bad": [3]}, actor=admin)

    response = api_as(admin).get(f"jobs/{job.pk}")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "succeeded"
    assert (body["done"], body["total"], body["percent"]) == (3, 3, 100)
    assert body["result"] == {"processed": 2, "failed": 1}
    assert body["errors"] == [{"row": "3", "field": "amount", "message": "Row 3 is broken."}]
    assert body["error_count"] == 1


def test_the_api_shows_a_failed_job(
    tree, admin, api_as, exploding_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(type="tests.explode", actor=admin)

    body = api_as(admin).get(f"jobs/{job.pk}").json()
    listed = api_as(admin).get("jobs", status="failed").json()

    assert body["status"] == "failed"
    assert body["error"] == "RuntimeError: disk full at row 3"
    assert body["finished_at"] is not None
    assert [j["id"] for j in listed["items"]] == [job.pk]


def test_jobs_of_another_organization_are_404_and_need_a_view_grant(
    tree, admin, make_user, api_as, counting_job
) -> None:
    outsider = make_user("outsider", unit=tree.other_main, roles=["administrator"])
    nobody = make_user("nobody", unit=tree.sales)
    job = job_enqueue(type="tests.count", actor=admin)

    assert api_as(outsider).get(f"jobs/{job.pk}").status_code == 404
    assert api_as(nobody).get(f"jobs/{job.pk}").status_code == 404
    assert api_as(nobody).get("jobs").json() == {"count": 0, "count_exact": True, "items": []}


def test_the_console_jobs_list_and_job_page_render(
    tree, admin, console_as, counting_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(type="tests.count", params={"rows": 4, "bad": [1]}, actor=admin)
    client = console_as(admin)

    listing = client.get("/console/jobs/")
    page = client.get(f"/console/jobs/{job.pk}/")

    assert listing.status_code == 200
    assert "Count rows" in listing.content.decode()
    assert page.status_code == 200
    content = page.content.decode()
    assert "<html" in content
    assert 'data-status="succeeded"' in content
    assert 'aria-valuenow="100"' in content
    assert "Row 1 is broken." in content


def test_the_job_page_answers_only_the_progress_partial_to_htmx(
    tree, admin, console_as, exploding_job, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(type="tests.explode", actor=admin)

    response = console_as(admin).get(f"/console/jobs/{job.pk}/", headers={"HX-Request": "true"})

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert content.lstrip().startswith('<div id="job-progress"')
    assert 'data-status="failed"' in content
    assert "disk full at row 3" in content


def test_a_running_job_page_polls_for_progress(tree, admin, console_as) -> None:
    job = Job.objects.create(
        type="platform.search_reindex",
        label="Rebuild",
        status=JobStatus.RUNNING,
        done=3,
        total=12,
        organization=tree.org,
    )

    content = console_as(admin).get(f"/console/jobs/{job.pk}/", headers={"HX-Request": "true"}).content

    assert b'hx-trigger="every 1s"' in content
    assert b'aria-valuenow="25"' in content


def test_the_jobs_grid_answers_the_htmx_grid_partial(tree, admin, console_as, counting_job) -> None:
    job_enqueue(type="tests.count", actor=admin)

    response = console_as(admin).get(
        "/console/jobs/", headers={"HX-Request": "true", "HX-Target": "grid-jobs"}
    )

    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b"Count rows" in response.content


def test_the_console_jobs_pages_need_a_view_grant(tree, admin, make_user, console_as, counting_job) -> None:
    job = job_enqueue(type="tests.count", actor=admin)
    client = console_as(make_user("nobody", unit=tree.sales))

    assert client.get("/console/jobs/").status_code == 403
    assert client.get(f"/console/jobs/{job.pk}/").status_code == 403


def _activity_documents(ids):
    rows = Activity.objects.all() if ids is None else Activity.objects.filter(pk__in=ids)
    for a in rows:
        yield (a.pk, a.subject, a.body, a.owner_id, a.business_unit_id, a.organization_id)


def test_the_search_reindex_job_rebuilds_the_index(tree, admin, django_capture_on_commit_callbacks) -> None:
    for subject in ("Quarterly review", "Kick-off call"):
        Activity.objects.create(
            kind="note",
            subject=subject,
            target_entity="platform.user",
            target_id=admin.pk,
            happened_at=timezone.now(),
            owner=admin,
            business_unit=tree.main,
            organization=tree.org,
        )
    provider = SearchProvider("platform.activity", "Activities", _activity_documents)

    with (
        search_providers.temporarily("platform.activity", provider),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = job_enqueue(type="platform.search_reindex", params={"entity": "platform.activity"}, actor=admin)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"indexed": 2}
    assert (job.done, job.total) == (2, 2)
    assert sorted(SearchEntry.objects.filter(entity="platform.activity").values_list("title", flat=True)) == [
        "Kick-off call",
        "Quarterly review",
    ]
