"""Console URLs: the platform's pages plus every installed app's `console.urls`."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.urls import URLPattern, URLResolver, path

from accord.platform.console import auth_views, import_pages, views
from accord.platform.console.money_pages import CurrencyRateResource
from accord.platform.console.resources import RESOURCES

app_name = "console"


def _app_patterns() -> list[URLPattern | URLResolver]:
    patterns: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("accord.") or config.name == "accord.platform":
            continue
        module_name = f"{config.name}.console.urls"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name not in (module_name, f"{config.name}.console"):
                raise
            continue
        patterns.extend(module.urlpatterns)
    return patterns


urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    *auth_views.urlpatterns,
    path("search/", views.search_page, name="search"),
    path("profile/", views.profile, name="profile"),
    path("profile/password/", views.password_change, name="password_change"),
    path("profile/tokens/", views.token_create, name="token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/", views.settings_page, name="settings"),
    path("settings/<slug:section>/", views.settings_page, name="settings_section"),
    path("jobs/", views.jobs_list, name="jobs"),
    path("jobs/<int:pk>/", views.job_view, name="job_view"),
    path("imports/", import_pages.imports_page, name="imports"),
    path("imports/<str:key>/template.csv", import_pages.import_template, name="import_template"),
    path("activities/add/<str:entity>/<int:pk>/", views.activity_add, name="activity_add"),
    path("activities/<int:pk>/complete/", views.activity_complete, name="activity_complete"),
]
for resource in [*RESOURCES, CurrencyRateResource()]:
    urlpatterns.extend(resource.urls())
urlpatterns.extend(_app_patterns())
