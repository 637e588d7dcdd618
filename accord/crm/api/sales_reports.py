"""/api/v1/forecast and /api/v1/accounts/{id}/lifetime-value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from accord.crm.api.sales_schemas import ForecastOut, LifetimeValueOut
from accord.crm.selectors.forecast import Forecast, deviation, forecast, forecast_as_of
from accord.crm.selectors.lifetime import account_lifetime
from accord.platform import acl
from accord.platform.api.lists import ERRORS
from accord.platform.errors import ValidationFailed
from accord.platform.money import base_currency

forecast_router = Router(tags=["forecast"])
lifetime_router = Router(tags=["accounts"])
MONEY_FIELDS = ("total", "weighted", "indeterminate_total", "indeterminate_weighted")


def _figures(result: Forecast, currency: str) -> dict[str, Any]:
    figures: dict[str, Any] = {"in_progress": result.in_progress}
    for name in MONEY_FIELDS:
        figures[name] = {"amount": getattr(result, name), "currency": currency}
    return figures


@forecast_router.get("", response={200: ForecastOut, **ERRORS}, operation_id="forecast_get")
def forecast_get(
    request: HttpRequest,
    date_from: dt.date | None = Query(None, alias="from"),  # noqa: B008
    date_to: dt.date | None = Query(None, alias="to"),  # noqa: B008
    owner_id: list[int] = Query([]),  # noqa: B008
    compare_to: dt.datetime | None = Query(None, description="Also the figures as they were then."),  # noqa: B008
) -> Any:
    """oro-spec §2.11: forecast of the open opportunities the caller may view (base currency)."""
    user = request.auth
    acl.require(user, "crm.opportunity", "view")
    if date_from and date_to and date_from > date_to:
        raise ValidationFailed({"query.from": "The start is after the end."})
    currency = base_currency()
    now = forecast(user, date_from=date_from, date_to=date_to, owner_ids=owner_id)
    body: dict[str, Any] = {
        **_figures(now, currency),
        "date_from": date_from,
        "date_to": date_to,
        "owner_ids": owner_id,
    }
    if compare_to is not None:
        if compare_to.tzinfo is None:
            compare_to = compare_to.replace(tzinfo=dt.UTC)
        then = forecast_as_of(
            user, moment=compare_to, date_from=date_from, date_to=date_to, owner_ids=owner_id
        )
        body.update(
            compare_to=compare_to,
            then=_figures(then, currency),
            deviation={
                name: deviation(getattr(now, name), getattr(then, name))
                for name in ("in_progress", *MONEY_FIELDS)
            },
        )
    return body


@lifetime_router.get(
    "/{int:pk}/lifetime-value",
    response={200: LifetimeValueOut, **ERRORS},
    operation_id="accounts_lifetime_value",
)
def accounts_lifetime_value(request: HttpRequest, pk: int) -> Any:
    """Total, per-channel split (each with the records behind it) and the history (oro-spec §2.4)."""
    account = acl.get_visible_or_404(request.auth, "crm.account", pk)
    return account_lifetime(account, request.auth)
