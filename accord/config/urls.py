"""Top-level routing: console, back-office API, and the storefront when commerce is installed."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from accord.platform.api.root import build_api


def _home(request: HttpRequest) -> HttpResponse:
    return redirect("console:dashboard")


def _health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("console/", include("accord.platform.console.urls", namespace="console")),
    path("api/v1/", build_api().urls),
    path("health", _health, name="health"),
]

if apps.is_installed("accord.storefront"):
    # Imported by name, like the platform discovers app routers (API faces are left to the tests).
    storefront_api = import_module("accord.storefront.api.root").build_storefront_api()
    urlpatterns.append(path("api/storefront/v1/", storefront_api.urls))
    urlpatterns.append(path("", include("accord.storefront.urls")))
else:
    urlpatterns.append(path("", _home, name="home"))

handler403 = "accord.platform.console.pages.handler403"
handler404 = "accord.platform.console.pages.handler404"
handler500 = "accord.platform.console.pages.handler500"
