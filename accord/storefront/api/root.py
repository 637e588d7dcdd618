"""Builds the /api/storefront/v1/ NinjaAPI: customer users, session auth with CSRF, the same list
conventions and error shape as /api/v1/."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from accord import __version__
from accord.platform.api.errors import error_body, register_error_handlers
from accord.platform.api.query_params import refuse_unknown_query_params
from accord.platform.api.renderer import FastJSONRenderer
from accord.storefront.api.account import account, customer_users
from accord.storefront.api.auth import CustomerSession
from accord.storefront.api.documents import orders, quotes, rfqs, shopping_lists

DESCRIPTION = """
Accord's storefront API, for customer users (buyers) and the pages built on it.

Authenticate with the storefront session (log in at `/login/`); writes need the `X-CSRFToken`
header. Every answer shows and changes only what your role grants at its level: a record outside
it answers 404. Lists take `page`, `page_size` (at most 200) and `sort` (`-` for descending) and
answer `{"count": N, "count_exact": true, "items": [...]}` (`count_exact` false: more than `count`
rows; `?count=exact` counts them all); a query parameter the endpoint does not declare answers 422.
Errors answer one shape:
`{"status", "code", "message", "errors": [{"field", "message"}]}`.
"""


@cache
def build_storefront_api() -> NinjaAPI:
    api = NinjaAPI(
        renderer=FastJSONRenderer(),
        title="Accord Storefront API",
        version=__version__,
        description=DESCRIPTION,
        urls_namespace="api_storefront_v1",
        auth=[CustomerSession()],
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    register_error_handlers(api)
    refuse_unknown_query_params(api)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        body = error_body(401, "not_authenticated", "Log in to the storefront first.")
        return api.create_response(request, body, status=401)

    api.add_router("/me", account)
    api.add_router("/customer-users", customer_users)
    api.add_router("/shopping-lists", shopping_lists)
    api.add_router("/rfqs", rfqs)
    api.add_router("/quotes", quotes)
    api.add_router("/orders", orders)
    return api
