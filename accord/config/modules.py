"""Which Accord modules are installed: `ACCORD_MODULES` decides, the bridge follows both halves."""

from __future__ import annotations

KNOWN_MODULES = ("crm", "commerce")


class ModuleConfigError(ValueError):
    """Raised when ACCORD_MODULES names something Accord does not know."""


def parse_modules(raw: str) -> list[str]:
    """Return the ordered list of domain modules named by an ACCORD_MODULES value."""
    names = [part.strip().lower() for part in raw.split(",") if part.strip()]
    unknown = [name for name in names if name not in KNOWN_MODULES]
    if unknown:
        raise ModuleConfigError(
            f"ACCORD_MODULES names unknown module(s) {', '.join(unknown)}; known: {', '.join(KNOWN_MODULES)}"
        )
    return [name for name in KNOWN_MODULES if name in names]


def accord_apps(modules: list[str]) -> list[str]:
    """Return the Django apps for the modules: storefront with commerce, the bridge with both."""
    apps = ["accord.platform"]
    if "crm" in modules:
        apps.append("accord.crm")
    if "commerce" in modules:
        apps.append("accord.commerce")
        apps.append("accord.storefront")
    if "crm" in modules and "commerce" in modules:
        apps.append("accord.crm_commerce")
    return apps
