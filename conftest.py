"""Root pytest configuration: collect only the tests of installed modules; shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

from accord.config.modules import accord_apps, parse_modules

pytest_plugins = ["accord.platform.tests.fixtures", "accord.platform.tests.browser"]

_INSTALLED = set(accord_apps(parse_modules(os.environ.get("ACCORD_MODULES", "crm,commerce"))))
_APP_DIRS = {
    Path(__file__).parent / "accord" / name.split(".")[1]: name
    for name in ("accord.crm", "accord.commerce", "accord.storefront", "accord.crm_commerce")
}


def pytest_ignore_collect(collection_path: Path, config: object) -> bool | None:
    """Tests of a module that ACCORD_MODULES leaves out are not collected (not skipped)."""
    for directory, app in _APP_DIRS.items():
        if app not in _INSTALLED and (collection_path == directory or directory in collection_path.parents):
            return True
    if "e2e" in collection_path.parts and not {"accord.crm", "accord.commerce"} <= _INSTALLED:
        return True
    return None
