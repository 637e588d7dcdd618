"""Typed system settings: defaults, validation per type, audit, API and console page."""

from __future__ import annotations

import decimal

import pytest
from django.core.cache import cache

from accord.platform.errors import NotFound, ValidationFailed
from accord.platform.models import AuditEntry, ConfigValue
from accord.platform.registries import SettingDef, SettingType, setting_defs
from accord.platform.services.settings import setting_get, setting_set, settings_update


@pytest.fixture(autouse=True)
def _fresh_settings_cache():
    """Settings are cached in the (process-wide) cache; the database is rolled back after each test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def flag():
    definition = SettingDef("general.tests_flag", "general", "Test flag", SettingType.BOOLEAN, False)
    with setting_defs.temporarily(definition.key, definition):
        yield definition


@pytest.fixture
def ratio():
    definition = SettingDef(
        "general.tests_ratio", "general", "Ratio", SettingType.DECIMAL, decimal.Decimal("0.5"), max_value=1
    )
    with setting_defs.temporarily(definition.key, definition):
        yield definition


def test_settings_read_their_defaults_until_set(tree) -> None:
    assert setting_get("general.base_currency") == "USD"
    assert setting_get("general.grid_page_size") == 25
    assert ConfigValue.objects.count() == 0


def test_set_then_get_returns_the_cleaned_value(tree, admin) -> None:
    stored = setting_set(key="general.grid_page_size", value="50", actor=admin)

    assert stored == 50
    assert setting_get("general.grid_page_size") == 50
    assert ConfigValue.objects.get(key="general.grid_page_size").value == 50
    assert ConfigValue.objects.get(key="general.grid_page_size").updated_by == admin


def test_decimal_settings_round_trip_as_decimals(tree, admin, ratio) -> None:
    setting_set(key="general.tests_ratio", value="0.75", actor=admin)

    assert setting_get("general.tests_ratio") == decimal.Decimal("0.75")
    assert ConfigValue.objects.get(key="general.tests_ratio").value == "0.75"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("general.base_currency", "XYZ", "Choose one of: USD, EUR"),
        ("general.base_currency", 12, "Expected a choice value."),
        ("general.grid_page_size", 9, "Must be at least 10"),
        ("general.grid_page_size", 201, "Must be at most 200"),
        ("general.grid_page_size", "many", "Expected a integer value."),
        ("general.grid_page_size", 12.5, "Expected a integer value."),
        ("general.grid_page_size", True, "Expected a integer value."),
        ("general.tests_flag", "maybe", "Expected a boolean value."),
        ("general.tests_flag", 3, "Expected a boolean value."),
        ("general.tests_ratio", "1.5", "Must be at most 1"),
        ("general.tests_ratio", "abc", "Expected a decimal value."),
    ],
)
def test_bad_values_are_refused_naming_the_setting_and_nothing_is_written(
    tree, admin, flag, ratio, key, value, message
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        setting_set(key=key, value=value, actor=admin)

    assert list(exc.value.field_errors) == [key]
    assert exc.value.field_errors[key][0].startswith(message)
    assert ConfigValue.objects.count() == 0
    assert AuditEntry.objects.filter(entity="platform.setting").count() == 0


@pytest.mark.parametrize(("raw", "expected"), [("yes", True), ("on", True), ("0", False), (True, True)])
def test_boolean_settings_accept_the_usual_spellings(tree, admin, flag, raw, expected) -> None:
    setting_set(key="general.tests_flag", value=raw, actor=admin)

    assert setting_get("general.tests_flag") is expected


def test_an_unknown_setting_is_not_found(tree, admin) -> None:
    with pytest.raises(NotFound):
        setting_set(key="general.nope", value=1, actor=admin)
    with pytest.raises(NotFound):
        setting_get("general.nope")


def test_several_settings_change_all_or_nothing(tree, admin) -> None:
    with pytest.raises(ValidationFailed) as exc:
        settings_update(values={"general.base_currency": "EUR", "general.grid_page_size": 5}, actor=admin)

    assert list(exc.value.field_errors) == ["general.grid_page_size"]
    assert setting_get("general.base_currency") == "USD"
    assert ConfigValue.objects.count() == 0


def test_a_change_is_audited_with_old_and_new_value(tree, admin) -> None:
    setting_set(key="general.base_currency", value="EUR", actor=admin)
    setting_set(key="general.base_currency", value="EUR", actor=admin)  # no change, no row
    setting_set(key="general.base_currency", value="GBP", actor=admin)

    entries = list(AuditEntry.objects.filter(entity="platform.setting").order_by("id"))
    assert [e.changes for e in entries] == [
        {"value": {"old": "USD", "new": "EUR"}},
        {"value": {"old": "EUR", "new": "GBP"}},
    ]
    assert {(e.object_id, e.action, e.actor_id) for e in entries} == {
        ("general.base_currency", "update", admin.pk)
    }


def test_on_change_runs_with_old_and_new(tree, admin) -> None:
    seen = []
    definition = SettingDef(
        "general.tests_hooked",
        "general",
        "Hooked",
        SettingType.STRING,
        "a",
        on_change=lambda **kw: seen.append((kw["old"], kw["new"], kw["actor"])),
    )
    with setting_defs.temporarily(definition.key, definition):
        setting_set(key="general.tests_hooked", value="  b ", actor=admin)

    assert seen == [("a", "b", admin)]


def test_the_api_lists_settings_with_value_and_default(tree, admin, api_as) -> None:
    setting_set(key="general.grid_page_size", value=100, actor=admin)

    body = api_as(admin).get("settings", section="general").json()

    by_key = {s["key"]: s for s in body}
    assert by_key["general.grid_page_size"]["value"] == 100
    assert by_key["general.grid_page_size"]["default"] == 25
    assert by_key["general.grid_page_size"]["type"] == "integer"
    assert by_key["general.base_currency"]["value"] == "USD"
    assert "EUR" in by_key["general.base_currency"]["choices"]


def test_the_api_reads_one_setting_and_404s_an_unknown_one(tree, admin, api_as) -> None:
    client = api_as(admin)

    one = client.get("settings/general.base_currency")
    missing = client.get("settings/general.nope")

    assert one.json()["label"] == "Base currency"
    assert missing.status_code == 404


def test_the_api_patch_changes_settings(tree, admin, api_as) -> None:
    response = api_as(admin).patch("settings", {"values": {"general.base_currency": "CHF"}})

    assert response.status_code == 200
    assert response.json()[0]["value"] == "CHF"
    assert setting_get("general.base_currency") == "CHF"


def test_the_api_patch_is_403_without_the_edit_grant(tree, make_user, api_as) -> None:
    manager = make_user("manager", roles=["sales_manager"])  # may view settings, not edit them

    seen = api_as(manager).get("settings")
    response = api_as(manager).patch("settings", {"values": {"general.base_currency": "CHF"}})

    assert seen.status_code == 200
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert ConfigValue.objects.count() == 0


def test_the_api_is_403_for_a_user_without_any_settings_grant(tree, make_user, api_as) -> None:
    response = api_as(make_user("nobody")).get("settings")

    assert response.status_code == 403


def test_the_api_patch_answers_422_with_the_setting_key_as_field(tree, admin, api_as) -> None:
    response = api_as(admin).patch(
        "settings", {"values": {"general.grid_page_size": 1000, "general.base_currency": "EUR"}}
    )

    body = response.json()
    assert response.status_code == 422
    assert body["errors"] == [{"field": "general.grid_page_size", "message": "Must be at most 200."}]
    assert setting_get("general.base_currency") == "USD"


def test_the_console_page_shows_the_settings_and_saves_them(tree, admin, console_as) -> None:
    client = console_as(admin)

    page = client.get("/console/settings/")
    saved = client.post(
        "/console/settings/general/", {"general.base_currency": "EUR", "general.grid_page_size": "40"}
    )

    assert page.status_code == 200
    assert "Rows per grid page" in page.content.decode()
    assert saved.status_code == 302
    assert saved.url == "/console/settings/general/"
    assert setting_get("general.base_currency") == "EUR"
    assert setting_get("general.grid_page_size") == 40


def test_the_console_page_shows_field_errors_and_saves_nothing(tree, admin, console_as) -> None:
    response = console_as(admin).post(
        "/console/settings/general/", {"general.base_currency": "EUR", "general.grid_page_size": "3"}
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert "Must be at least 10" in content
    assert "is-invalid" in content
    assert setting_get("general.base_currency") == "USD"


def test_the_console_page_is_read_only_without_the_edit_grant(tree, make_user, console_as) -> None:
    client = console_as(make_user("manager", roles=["sales_manager"]))

    page = client.get("/console/settings/")
    post = client.post("/console/settings/general/", {"general.base_currency": "EUR"})

    assert page.status_code == 200
    assert "<fieldset disabled>" in page.content.decode()
    assert post.status_code == 403
    assert setting_get("general.base_currency") == "USD"
