"""Notes, calls and tasks on any entity that accepts activities."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.platform import acl, audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import Activity, ActivityKind, TaskStatus, User
from accord.platform.models.activities import CallDirection
from accord.platform.registries import entities


def _target(actor: User, target_entity: str, target_id: int) -> Any:
    if target_entity not in entities or not entities.get(target_entity).activities:
        raise ValidationFailed({"target_entity": "Activities cannot be attached to this entity."})
    return acl.get_visible_or_404(actor, target_entity, target_id)


def activity_create(
    *,
    actor: User,
    target_entity: str,
    target_id: int,
    kind: str,
    subject: str,
    body: str = "",
    due_at: dt.datetime | None = None,
    direction: str = "",
    duration_minutes: int | None = None,
    happened_at: dt.datetime | None = None,
) -> Activity:
    acl.require(actor, "platform.activity", "create")
    _target(actor, target_entity, target_id)
    errors: dict[str, str] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = f"One of {', '.join(ActivityKind.values)}."
    subject = (subject or "").strip()
    if not subject:
        errors["subject"] = "A subject is required."
    elif len(subject) > 255:
        errors["subject"] = "At most 255 characters."
    if direction and direction not in CallDirection.values:
        errors["direction"] = f"One of {', '.join(CallDirection.values)}."
    if actor.business_unit_id is None or actor.organization_id is None:
        errors["owner"] = "Your user has no business unit; ask an administrator to set one."
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        activity = Activity.objects.create(
            kind=kind,
            subject=subject,
            body=body or "",
            target_entity=target_entity,
            target_id=target_id,
            due_at=due_at if kind == ActivityKind.TASK else None,
            status=TaskStatus.OPEN if kind == ActivityKind.TASK else "",
            direction=direction if kind == ActivityKind.CALL else "",
            duration_minutes=duration_minutes if kind == ActivityKind.CALL else None,
            happened_at=happened_at or timezone.now(),
            owner=actor,
            business_unit_id=int(actor.business_unit_id or 0),
            organization_id=int(actor.organization_id or 0),
        )
        audit.record_create(instance=activity, actor=actor)
    return activity


def activity_complete(*, actor: User, activity: Activity) -> Activity:
    acl.require(actor, "platform.activity", "edit", activity)
    if activity.kind != ActivityKind.TASK:
        raise ValidationFailed({"kind": "Only tasks can be completed."})
    with transaction.atomic(), audit.tracking(activity, actor=actor):
        activity.status = TaskStatus.DONE
        activity.save(update_fields=["status", "updated_at"])
    return activity


def activity_delete(*, actor: User, activity: Activity) -> None:
    acl.require(actor, "platform.activity", "delete", activity)
    with transaction.atomic():
        audit.record_delete(instance=activity, actor=actor)
        activity.delete()
