"""Storefront pages for buyers (customer users)."""

from __future__ import annotations

from django.urls import path

from accord.storefront import views

app_name = "storefront"

urlpatterns = [
    path("", views.home, name="home"),
]
