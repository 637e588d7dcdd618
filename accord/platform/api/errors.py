"""One error shape for every API failure.

    {"status": 422, "code": "validation_error", "message": "Invalid input.",
     "errors": [{"field": "name", "message": "A name is required."}]}

`field` is the path of the offending input ("name", "lines.0.quantity", "query.page"),
empty when the error is about the request as a whole.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from accord.platform.errors import DomainError


def error_body(
    status: int, code: str, message: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "errors": errors or []}


def _field_path(loc: list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else parts[1:]
    elif parts and parts[0] in ("query", "path"):
        parts = [parts[0], *parts[1:]]
    return ".".join(parts)


def register_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"field": _field_path(list(err.get("loc", []))), "message": str(err.get("msg", "Invalid value."))}
            for err in exc.errors
        ]
        return respond(request, 422, error_body(422, "validation_error", "Invalid input.", errors))

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return respond(request, exc.status, error_body(exc.status, exc.code, exc.message, exc.as_errors()))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(
            request, 401, error_body(401, "not_authenticated", "Log in or send a valid Bearer token.")
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, error_body(404, "not_found", str(exc) or "Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "error"
        )
        return respond(request, exc.status_code, error_body(exc.status_code, code, str(exc)))
