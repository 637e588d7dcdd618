"""The combined main menu and the module switch (ACCORD_MODULES) behind it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.test import RequestFactory

from accord.config.modules import ModuleConfigError, accord_apps, parse_modules
from accord.platform.console.menu import build_menu
from accord.platform.models import AccessLevel
from accord.platform.registries import MenuItem, MenuSection, menu_items, menu_sections, module_installed

SYSTEM_ITEMS = ["Users", "Business units", "Roles", "Settings", "Jobs"]
REPO = Path(__file__).resolve().parents[3]


def _menu(user, path: str = "/console/") -> dict[str, list[str]]:
    request = RequestFactory().get(path)
    request.user = user
    return {section.label: [item.label for item in section.items] for section in build_menu(request)}


def test_the_system_section_shows_the_platform_pages_to_an_administrator(tree, admin) -> None:
    menu = _menu(admin)

    system = menu["System"]
    assert [label for label in system if label in SYSTEM_ITEMS] == SYSTEM_ITEMS
    assert "Imports" in system
    assert list(menu)[-1] == "System"  # ordered by section order


def test_a_user_without_grants_sees_no_platform_page_and_no_empty_section(tree, make_user) -> None:
    menu = _menu(make_user("nobody", unit=tree.sales))

    assert menu == {}


def test_an_item_with_an_entity_needs_the_view_grant(tree, make_user) -> None:
    user = make_user(
        "viewer",
        unit=tree.sales,
        grants={"platform.user": {"view": AccessLevel.USER}, "platform.job": {"view": AccessLevel.NONE}},
    )

    menu = _menu(user)

    assert menu == {"System": ["Users"]}


def test_the_predefined_sales_rep_sees_only_what_its_grants_cover(tree, make_user) -> None:
    rep = make_user("rep", unit=tree.sales, roles=["sales_rep"])

    system = _menu(rep)["System"]

    assert system == ["Users", "Currency rates"]


def test_the_active_item_follows_the_path(tree, admin) -> None:
    request = RequestFactory().get("/console/roles/5/")
    request.user = admin

    system = next(s for s in build_menu(request) if s.key == "system")

    assert system.active is True
    assert [i.key for i in system.items if i.active] == ["roles"]


def test_sections_are_ordered_and_empty_ones_left_out(tree, admin) -> None:
    early = MenuSection("tests_early", "Early", 1)
    empty = MenuSection("tests_empty", "Empty", 2)
    item = MenuItem("tests_item", "tests_early", "Early page", "console:dashboard", 1)
    hidden = MenuItem(
        "tests_hidden", "tests_empty", "Hidden", "console:dashboard", 1, administrators_only=True
    )
    gone = MenuItem("tests_gone", "tests_early", "Gone", "console:no_such_page", 2)

    with (
        menu_sections.temporarily(early.key, early),
        menu_sections.temporarily(empty.key, empty),
        menu_items.temporarily(item.key, item),
        menu_items.temporarily(hidden.key, hidden),
        menu_items.temporarily(gone.key, gone),
    ):
        as_admin = _menu(admin)
        as_nobody = _menu(_fresh_user(tree))

    assert list(as_admin)[:2] == ["Early", "Empty"]
    assert as_admin["Early"] == ["Early page"]  # an item whose page is not installed is left out
    assert as_admin["Empty"] == ["Hidden"]
    assert as_nobody == {"Early": ["Early page"]}  # "Empty" has nothing visible for this user


def _fresh_user(tree):
    from accord.platform.models import User

    return User.objects.create(
        username="fresh", organization=tree.org, business_unit=tree.sales, email="fresh@example.com"
    )


def test_an_item_permission_callable_decides_on_the_request(tree, admin) -> None:
    calls = []

    def only_on_dashboard(request) -> bool:
        calls.append(request.path)
        return request.path == "/console/"

    item = MenuItem(
        "tests_perm", "system", "Conditional", "console:dashboard", 99, permission=only_on_dashboard
    )
    with menu_items.temporarily(item.key, item):
        on_dashboard = _menu(admin, "/console/")
        elsewhere = _menu(admin, "/console/jobs/")

    assert "Conditional" in on_dashboard["System"]
    assert "Conditional" not in elsewhere["System"]
    assert calls == ["/console/", "/console/jobs/"]


def test_the_rendered_sidebar_holds_the_menu(tree, admin, console_as) -> None:
    content = console_as(admin).get("/console/").content.decode()

    assert 'aria-label="Main menu"' in content
    for key in ("users", "business_units", "roles", "settings", "jobs"):
        assert f'data-menu="{key}"' in content


def test_module_installed_matches_the_setting_and_the_apps() -> None:
    modules = settings.ACCORD_MODULES

    assert module_installed("platform") is True
    assert module_installed("crm") is ("crm" in modules)
    assert module_installed("commerce") is ("commerce" in modules)
    assert module_installed("storefront") is ("commerce" in modules)
    assert module_installed("crm_commerce") is ({"crm", "commerce"} <= set(modules))
    for name in ("crm", "commerce", "storefront", "crm_commerce"):
        assert module_installed(name) is apps.is_installed(f"accord.{name}")


def test_every_menu_item_of_this_configuration_belongs_to_an_installed_module(tree, admin) -> None:
    for item in menu_items:
        if item.entity:
            assert module_installed(item.entity.split(".")[0]), item.key

    shown = {i.key for section in build_menu(_request(admin)) for i in section.items}
    assert shown >= {"users", "business_units", "roles", "settings", "jobs"}


def _request(user):
    request = RequestFactory().get("/console/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("raw", "modules", "apps_expected"),
    [
        ("crm", ["crm"], ["accord.platform", "accord.crm"]),
        ("commerce", ["commerce"], ["accord.platform", "accord.commerce", "accord.storefront"]),
        (
            "crm,commerce",
            ["crm", "commerce"],
            ["accord.platform", "accord.crm", "accord.commerce", "accord.storefront", "accord.crm_commerce"],
        ),
        (
            " Commerce , CRM ",
            ["crm", "commerce"],
            ["accord.platform", "accord.crm", "accord.commerce", "accord.storefront", "accord.crm_commerce"],
        ),
        ("", [], ["accord.platform"]),
    ],
)
def test_accord_modules_values_map_to_apps(raw, modules, apps_expected) -> None:
    parsed = parse_modules(raw)

    assert parsed == modules
    assert accord_apps(parsed) == apps_expected


@pytest.mark.parametrize("raw", ["crm,billing", "erp", "crm;commerce"])
def test_an_unknown_module_is_a_clear_error(raw) -> None:
    with pytest.raises(ModuleConfigError, match="unknown module"):
        parse_modules(raw)


_PROBE = """
import json, django
django.setup()
from django.apps import apps
from django.urls import reverse
from accord.platform.registries import menu_items, module_installed
print(json.dumps({
    "apps": [a.name for a in apps.get_app_configs() if a.name.startswith("accord.")],
    "installed": {m: module_installed(m) for m in ("crm", "commerce", "storefront", "crm_commerce")},
    "items": {i.key: [i.entity, reverse(i.url_name)] for i in menu_items},
}))
"""


@pytest.mark.parametrize(
    ("raw", "installed"),
    [
        ("crm", {"crm": True, "commerce": False, "storefront": False, "crm_commerce": False}),
        ("commerce", {"crm": False, "commerce": True, "storefront": True, "crm_commerce": False}),
        ("crm,commerce", {"crm": True, "commerce": True, "storefront": True, "crm_commerce": True}),
    ],
)
def test_each_modules_value_composes_its_own_menu(raw, installed) -> None:
    env = {
        **os.environ,
        "ACCORD_MODULES": raw,
        "DJANGO_SETTINGS_MODULE": "accord.config.test_settings",
        "ACCORD_DATABASE_URL": "sqlite:///:memory:",
    }
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )

    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["installed"] == installed
    assert probe["apps"] == accord_apps(parse_modules(raw))
    items = probe["items"]
    assert {"users", "business_units", "roles", "settings", "jobs"} <= set(items)
    for key, (entity, url) in items.items():
        assert url.startswith("/console/"), key
        if entity:
            assert installed.get(entity.split(".")[0], True), f"{key} comes from a module left out"


def test_an_unknown_modules_value_stops_the_start_with_a_message() -> None:
    env = {**os.environ, "ACCORD_MODULES": "crm,erp", "DJANGO_SETTINGS_MODULE": "accord.config.test_settings"}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, cwd=REPO, capture_output=True, text=True, check=False
    )

    assert out.returncode != 0
    assert "unknown module(s) erp" in out.stderr
