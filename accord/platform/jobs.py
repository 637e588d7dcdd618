"""Background jobs: enqueue a registered job type, run it with progress and row-level errors.

Jobs run on huey: a SQLite-backed queue consumed by a worker that `accord serve` starts
beside the web server in the embedded default, or Redis and `accord worker` processes at scale.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.platform.errors import ValidationFailed
from accord.platform.models import Job, JobError, JobStatus
from accord.platform.registries import job_types

logger = logging.getLogger(__name__)


class JobContext:
    """What a job handler gets: the job, a progress reporter and an error recorder."""

    def __init__(
        self,
        job: Job,
        *,
        min_interval: float = 0.5,
        listener: Callable[[int, int | None], None] | None = None,
    ) -> None:
        self.job = job
        self._listener = listener
        self._min_interval = min_interval
        self._last_write = 0.0

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """Report progress; written at most every `min_interval` seconds unless forced."""
        self.job.done = done
        if total is not None:
            self.job.total = total
        if self._listener is not None:
            self._listener(self.job.done, self.job.total)
        now = time.monotonic()
        if force or now - self._last_write >= self._min_interval:
            Job.objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total)
            self._last_write = now

    def error(self, message: str, *, row: Any = "", field: str = "") -> None:
        """Record a row that could not be processed; the job goes on."""
        JobError.objects.create(job=self.job, row=str(row)[:100], field=field[:100], message=message)
        self.job.error_count += 1
        Job.objects.filter(pk=self.job.pk).update(error_count=self.job.error_count)


def job_enqueue(
    *,
    type: str,
    params: dict[str, Any] | None = None,
    actor: Any = None,
    label: str | None = None,
) -> Job:
    """Create a job and queue it once the surrounding transaction commits."""
    if type not in job_types:
        raise ValidationFailed({"type": f"Unknown job type {type!r}."})
    definition = job_types.get(type)
    job = Job.objects.create(
        type=type,
        label=label or definition.label,
        params=params or {},
        created_by=actor if getattr(actor, "pk", None) else None,
        organization_id=getattr(actor, "organization_id", None),
    )
    from accord.platform.tasks import run_job_task

    transaction.on_commit(lambda: run_job_task(job.pk))
    return job


def job_run(*, job_id: int, listener: Callable[[int, int | None], None] | None = None) -> Job:
    """Run a queued job now, in this process. Failures are recorded on the job, not raised."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.get(pk=job_id)
    if not claimed:
        return job  # already taken by another worker, or finished
    ctx = JobContext(job, listener=listener)
    try:
        handler = job_types.get(job.type).handler
        result = handler(ctx, **job.params)
    except Exception as exc:  # the job's failure is data for the user, not a crash of the worker
        logger.exception("job %s (%s) failed", job.pk, job.type)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            done=ctx.job.done,
            total=ctx.job.total,
            finished_at=timezone.now(),
        )
    else:
        total = ctx.job.total if ctx.job.total is not None else ctx.job.done
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.SUCCEEDED,
            result=result,
            done=max(ctx.job.done, total or 0),
            total=total,
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job
