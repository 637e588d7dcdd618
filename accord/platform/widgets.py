"""The platform's dashboard widgets: the user's open tasks and the latest background jobs."""

from __future__ import annotations

from typing import Any

from accord.platform import acl
from accord.platform.models import Activity, ActivityKind, Job, TaskStatus
from accord.platform.registries import entities


def my_open_tasks(request: Any) -> dict[str, Any]:
    tasks = acl.visible(
        request.user,
        "platform.activity",
        Activity.objects.filter(kind=ActivityKind.TASK, status=TaskStatus.OPEN, owner=request.user),
    ).order_by("due_at", "id")[:10]
    rows = [(task, entities.get(task.target_entity).view_url(task.target_id)) for task in tasks]
    return {"tasks": rows}


def recent_jobs(request: Any) -> dict[str, Any]:
    return {"jobs": list(acl.visible(request.user, "platform.job", Job.objects.all())[:6])}
