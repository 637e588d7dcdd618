"""The combined main menu, built from what the installed modules registered."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch

from accord.platform import acl
from accord.platform.console.url_cache import url_for
from accord.platform.registries import MenuItem, MenuSection, menu_items, menu_sections


@dataclass(frozen=True)
class VisibleItem:
    key: str
    label: str
    url: str
    active: bool


@dataclass(frozen=True)
class VisibleSection:
    key: str
    label: str
    icon: str
    items: list[VisibleItem]
    active: bool


def _item_visible(request: Any, item: MenuItem) -> bool:
    user = request.user
    if item.administrators_only and not acl.is_administrator(user):
        return False
    if item.entity and not acl.can(user, item.entity, "view"):
        return False
    return not (item.permission is not None and not item.permission(request))


def build_menu(request: Any) -> list[VisibleSection]:
    """The sections and items this user may open, in order; empty sections are left out."""
    path = request.path
    sections: list[VisibleSection] = []
    ordered: list[MenuSection] = sorted(menu_sections, key=lambda s: (s.order, s.label))
    for section in ordered:
        entries = sorted(
            (item for item in menu_items if item.section == section.key),
            key=lambda item: (item.order, item.label),
        )
        items = []
        for item in entries:
            if not _item_visible(request, item):
                continue
            try:
                url = url_for(item.url_name)
            except NoReverseMatch:
                continue
            items.append(VisibleItem(item.key, item.label, url, path.startswith(url)))
        if items:
            sections.append(
                VisibleSection(section.key, section.label, section.icon, items, any(i.active for i in items))
            )
    return sections
