"""The APIs' JSON renderer: orjson, for the list pages where encoding cost more than the queries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from typing import Any

import orjson
from django.http import HttpRequest
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise
from ninja.renderers import BaseRenderer
from pydantic import AnyUrl, BaseModel
from pydantic_core import Url

OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    """What orjson does not encode itself, encoded as Django's and ninja's encoders do."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, (Promise, Url, AnyUrl, IPv4Address, IPv4Network, IPv6Address, IPv6Network)):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def render_json(data: Any) -> bytes:
    return orjson.dumps(data, default=_default, option=OPTIONS)


class FastJSONRenderer(BaseRenderer):
    """JSON as ninja's renderer writes it, but times keep their microseconds (`...T10:00:00.123456Z`)."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> bytes:
        return render_json(data)
