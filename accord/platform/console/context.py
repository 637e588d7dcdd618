"""Template context for every console page."""

from __future__ import annotations

from typing import Any

from accord.platform.console.menu import build_menu
from accord.platform.registries import module_installed


def console_context(request: Any) -> dict[str, Any]:
    """Built once per request: sections rendered with `render_to_string(..., request=request)` ask again."""
    if not request.path.startswith("/console/") or not request.user.is_authenticated:
        return {}
    cached: dict[str, Any] | None = getattr(request, "_accord_console_context", None)
    if cached is None:
        cached = {
            "console_menu": build_menu(request),
            "modules": {name: module_installed(name) for name in ("crm", "commerce", "crm_commerce")},
        }
        request._accord_console_context = cached
    return cached
