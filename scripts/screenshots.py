"""Take the README's screenshots from a running Accord (`make run` in another shell).

Usage: .venv/bin/python scripts/screenshots.py [BASE_URL] [USERNAME] [PASSWORD]
Defaults: http://127.0.0.1:8000, admin, the password in var/admin-credentials.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
PAGES = [
    ("dashboard", "/console/"),
    ("accounts", "/console/accounts/"),
    ("customers", "/console/customers/"),
    ("users", "/console/users/"),
    ("roles", "/console/roles/"),
    ("settings", "/console/settings/"),
    ("jobs", "/console/jobs/"),
    ("forecast", "/console/forecast/"),
    ("account-strategy", "/console/crm-commerce/account-strategy/"),
    ("api-docs", "/api/v1/docs"),
    ("storefront", "/"),
]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _password() -> str:
    for line in (ROOT / "var" / "admin-credentials.txt").read_text().splitlines():
        if line.startswith("password: "):
            return line.removeprefix("password: ")
    raise SystemExit("no password given and none in var/admin-credentials.txt")


def _record_pages(page: object, base: str) -> list[tuple[str, str]]:
    """The deepest customer hierarchy (its tree) and its account (the commerce section)."""
    customers = page.request.get(f"{base}/api/v1/customers?page_size=200").json()["items"]  # type: ignore[attr-defined]
    if not customers:
        return []
    deepest = max(customers, key=lambda c: c["depth"])
    root = next((c for c in customers if c["id"] == deepest["root_id"]), deepest)
    pages = [("customer-hierarchy", f"/console/customers/{root['id']}/")]
    if root.get("account_id"):
        pages.append(("account-360", f"/console/accounts/{root['account_id']}/"))
    return pages


def main() -> None:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    username = sys.argv[2] if len(sys.argv) > 2 else "admin"
    password = sys.argv[3] if len(sys.argv) > 3 else _password()
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1360, "height": 860})
        page.goto(f"{base}/console/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/console/")
        for name, path in [*PAGES, *_record_pages(page, base)]:
            response = page.goto(f"{base}{path}")
            if response is None or response.status != 200:
                print(f"skipped {path}: {response.status if response else 'no response'}")
                continue
            page.wait_for_timeout(400)
            page.screenshot(path=str(OUT / f"{name}.png"))
            print(f"wrote docs/screenshots/{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
