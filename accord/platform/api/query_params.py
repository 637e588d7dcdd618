"""Unknown query parameters answer 422 (decision 0063): `?nmae=Acme` must not silently list everything.

Installed once per NinjaAPI as a "view" decorator, so it wraps every operation's `run`. The names an
operation accepts are the keys of its ninja query model (`Query[ListParams]`-style schemas are
flattened into it), read once when the router is bound. Authentication and throttling still answer
first: a caller without credentials gets 401, never a hint about the parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import NinjaAPI
from ninja.operation import Operation

from accord.platform.errors import ValidationFailed

Run = Callable[..., HttpResponseBase]


def accepted_query_names(operation: Operation) -> frozenset[str]:
    """The query-string names `operation` declares (aliases included, e.g. `from` for `date_from`)."""
    names: set[str] = set()
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) == "query":
            names.update(model.__ninja_flatten_map__)
    return frozenset(names)


def unknown_query_error(unknown: list[str], accepted: frozenset[str]) -> ValidationFailed:
    listed = ", ".join(sorted(accepted))
    hint = f"this endpoint accepts: {listed}." if listed else "this endpoint accepts no query parameters."
    return ValidationFailed(
        {f"query.{name}": f"Unknown query parameter {name!r}; {hint}" for name in unknown}
    )


def _refuse_unknown(run: Run) -> Run:
    operation = getattr(run, "__self__", None)
    if not isinstance(operation, Operation) or operation.is_async:
        raise ImproperlyConfigured(
            "refuse_unknown_query_params must wrap a sync Operation.run first; "
            f"got {run!r} (an async operation or an earlier decorate_view?)"
        )
    accepted = accepted_query_names(operation)

    @wraps(run)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        unknown = [name for name in request.GET if name not in accepted]
        if not unknown:
            return run(request, *args, **kwargs)
        # The error path runs ninja's own auth + throttle checks (once, as `run` would have).
        denied = operation._run_checks(request)
        if denied is not None:
            return denied
        return operation.api.on_exception(request, unknown_query_error(unknown, accepted))

    return guarded


def refuse_unknown_query_params(api: NinjaAPI) -> None:
    """Every operation of `api` answers 422 on a query parameter it does not declare."""
    api.add_decorator(_refuse_unknown, mode="view")
