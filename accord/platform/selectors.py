"""Platform reads that more than one face needs."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accord.platform import acl
from accord.platform.models import Activity
from accord.platform.registries import activity_paths


def activities_for(user: Any, *, entity: str, pk: Any) -> QuerySet[Activity]:
    """The activities of a record and of the records related to it through registered paths."""
    condition = Q(target_entity=entity, target_id=pk)
    for path in activity_paths:
        if path.target_entity == entity:
            condition |= Q(target_entity=path.related_entity, target_id__in=path.related_ids(pk))
    queryset = Activity.objects.filter(condition).select_related("owner")
    return acl.filter_queryset(user, "platform.activity", "view", queryset)
