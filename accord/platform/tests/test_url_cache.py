"""url_for gives what reverse gives, for every console view with a key, under any script prefix."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, clear_script_prefix, get_resolver, reverse, set_script_prefix

from accord.platform.console.url_cache import url_for


def _console_view_names() -> list[str]:
    resolver = get_resolver()
    names = [n for n in resolver.namespace_dict["console"][1].reverse_dict if isinstance(n, str)]
    return sorted(n for n in names if n.endswith("_view"))


def test_every_console_view_with_a_key_matches_reverse() -> None:
    names = _console_view_names()
    assert len(names) > 10
    for name in names:
        for pk in (1, 42, 987654321):
            assert url_for(f"console:{name}", pk) == reverse(f"console:{name}", kwargs={"pk": pk})


def test_names_without_arguments_and_the_script_prefix() -> None:
    assert url_for("console:users_list") == reverse("console:users_list")
    set_script_prefix("/accord/")
    try:
        assert url_for("console:users_list") == "/accord/console/users/"
        assert url_for("console:users_view", 7) == reverse("console:users_view", kwargs={"pk": 7})
        assert url_for("console:users_view", 7).startswith("/accord/")
    finally:
        clear_script_prefix()
    assert url_for("console:users_list") == "/console/users/"


def test_unknown_names_and_non_integer_keys_are_refused() -> None:
    with pytest.raises(NoReverseMatch):
        url_for("console:no_such_view", 1)
    with pytest.raises(ValueError, match="invalid literal"):
        url_for("console:users_view", "1/../2")  # type: ignore[arg-type]


def test_the_template_tag() -> None:
    html = Template("{% load console %}{% console_url 'console:users_view' pk %}").render(Context({"pk": 5}))
    assert html == reverse("console:users_view", kwargs={"pk": 5})
    without = Template("{% load console %}{% console_url 'console:users_list' %}").render(Context({}))
    assert without == reverse("console:users_list")
