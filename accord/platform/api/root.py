"""Builds the /api/v1/ NinjaAPI and mounts the routers that installed apps register."""

from __future__ import annotations

import importlib
from functools import cache

from django.apps import apps
from ninja import NinjaAPI

from accord import __version__
from accord.platform.api.auth import API_AUTH
from accord.platform.api.errors import register_error_handlers
from accord.platform.api.query_params import refuse_unknown_query_params
from accord.platform.api.renderer import FastJSONRenderer

DESCRIPTION = """
Accord's back-office API for console users and integrators.

Authenticate with the console session (browser) or `Authorization: Bearer <token>`; create a
token on your profile page or with `accord token create --user NAME`.

Lists take `page`, `page_size` (at most 200) and `sort` (`-` for descending) and answer
`{"count": N, "count_exact": true, "items": [...]}` (above 10,000 rows `count_exact` is false and
`count` is that limit; `?count=exact` counts them all). A query parameter the endpoint does not
declare answers 422 (a typo must not silently list everything). Errors answer one shape:
`{"status", "code", "message", "errors": [{"field", "message"}]}`.
"""


@cache
def build_api() -> NinjaAPI:
    api = NinjaAPI(
        renderer=FastJSONRenderer(),
        title="Accord API",
        version=__version__,
        description=DESCRIPTION,
        urls_namespace="api_v1",
        auth=API_AUTH,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    register_error_handlers(api)
    refuse_unknown_query_params(api)
    for config in apps.get_app_configs():
        if not config.name.startswith("accord."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api.routes")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.api.routes" and exc.name != f"{config.name}.api":
                raise
            continue
        module.register(api)
    return api
