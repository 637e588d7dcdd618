"""End-to-end browser journeys: the shared browser fixtures live in accord/platform/tests/browser.py."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _seeded_rows(request: Any) -> None:
    """Live-server tests run on a flushed database: put back the rows that data migrations seed."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    if apps.is_installed("accord.commerce"):
        from accord.commerce.tests.support import predefined_role

        predefined_role("ROLE_FRONTEND_BUYER")
