"""huey tasks of the platform (discovered by huey's Django integration)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from accord.platform.dbstats import database_analyze
from accord.platform.jobs import job_run


@db_task(retries=0)
def run_job_task(job_id: int) -> None:
    job_run(job_id=job_id)


@db_periodic_task(crontab(hour="3", minute="17"))
def analyze_database_task() -> None:
    """Nightly planner statistics (see `accord.platform.dbstats`)."""
    database_analyze()
