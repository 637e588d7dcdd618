"""Dashboard widgets of the sales side: the forecast and the average lifetime sales chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from accord.crm.selectors.forecast import forecast
from accord.crm.selectors.lifetime import lifetime_monthly_averages
from accord.platform.money import base_currency


def quarter_range(today: dt.date) -> tuple[dt.date, dt.date]:
    start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end_month = start.month + 3
    end = start.replace(year=start.year + 1, month=1) if end_month > 12 else start.replace(month=end_month)
    return start, end - dt.timedelta(days=1)


def forecast_widget(request: Any) -> dict[str, Any]:
    start, end = quarter_range(timezone.localdate())
    result = forecast(request.user, date_from=start, date_to=end)
    return {"forecast": result, "from": start, "to": end, "currency": base_currency()}


def lifetime_average_widget(request: Any) -> dict[str, Any]:
    return {"chart": lifetime_monthly_averages(request.user.organization_id)}
