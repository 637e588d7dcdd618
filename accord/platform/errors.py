"""Domain errors that every face turns into its own kind of clear message.

Services raise these; console views show them as form errors, the API as 4xx responses in
one JSON shape, the CLI as a message and a non-zero exit.
"""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """A rule of the domain refused the request (HTTP 400 unless a subclass says otherwise)."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code:
            self.code = code

    def as_errors(self) -> list[dict[str, str]]:
        return [{"field": self.field or "", "message": self.message}]


class ValidationFailed(DomainError):
    """One or more fields are invalid (HTTP 422)."""

    status = 422
    code = "validation_error"

    def __init__(self, errors: Mapping[str, str | list[str]], message: str = "Invalid input.") -> None:
        super().__init__(message)
        self.field_errors: dict[str, list[str]] = {
            name: [msgs] if isinstance(msgs, str) else list(msgs) for name, msgs in errors.items()
        }

    def as_errors(self) -> list[dict[str, str]]:
        return [{"field": name, "message": msg} for name, msgs in self.field_errors.items() for msg in msgs]


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The request clashes with the current state (HTTP 409)."""

    status = 409
    code = "conflict"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
