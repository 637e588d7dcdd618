"""huey tasks of the platform (discovered by huey's Django integration)."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from accord.platform.jobs import job_run


@db_task(retries=0)
def run_job_task(job_id: int) -> None:
    job_run(job_id=job_id)
