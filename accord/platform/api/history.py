"""The change-history endpoint every resource offers: GET /<resources>/{id}/history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from accord.platform import acl
from accord.platform.api.lists import ERRORS
from accord.platform.api.schemas import HistoryEntryOut
from accord.platform.audit import history


def add_history_route(router: Router, *, entity: str, resource: str) -> None:
    @router.get(
        "/{int:pk}/history",
        response={200: list[HistoryEntryOut], **ERRORS},
        operation_id=f"{resource.replace('-', '_')}_history",
        summary="Change history",
    )
    def record_history(request: HttpRequest, pk: int) -> Any:
        acl.get_visible_or_404(request.auth, entity, pk)
        return list(history(entity, pk)[:500])
