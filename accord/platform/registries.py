"""Extension points that domain apps fill from their `AppConfig.ready()`.

The platform never imports a domain app: it only reads what was registered here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.apps import apps as django_apps
from django.db import models

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered, keyed registry that refuses duplicates and can be patched in tests."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, T] = {}

    def register(self, key: str, item: T) -> T:
        if key in self._items:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise KeyError(f"{self.name}: nothing registered as {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items.values()))

    def keys(self) -> list[str]:
        return list(self._items)

    def items(self) -> list[tuple[str, T]]:
        return list(self._items.items())

    @contextmanager
    def temporarily(self, key: str, item: T) -> Iterator[T]:
        """Register for the duration of a block (tests)."""
        self.register(key, item)
        try:
            yield item
        finally:
            self.unregister(key)


class Ownership(enum.StrEnum):
    """Who owns the records of an entity, which bounds the access levels that make sense."""

    USER = "user"  # owner (user) + business unit + organization
    BUSINESS_UNIT = "business_unit"  # business unit + organization
    ORGANIZATION = "organization"  # organization only
    NONE = "none"  # global records (settings-like)


STANDARD_ACTIONS = ("view", "create", "edit", "delete", "assign")


@dataclass(frozen=True)
class EntityDef:
    """An entity that the ACL, audit, activities and search know about."""

    key: str  # "crm.account"
    model: str  # "crm.Account"
    label: str
    label_plural: str
    ownership: Ownership = Ownership.USER
    actions: tuple[str, ...] = STANDARD_ACTIONS
    owner_field: str = "owner"
    business_unit_field: str = "business_unit"
    organization_field: str = "organization"
    audit_exclude: tuple[str, ...] = ("updated_at", "created_at", "password")
    view_url_name: str | None = None  # console URL name taking `pk`
    activities: bool = False  # activities (notes, calls, tasks) can be attached
    module: str = "platform"

    def get_model(self) -> type[models.Model]:
        return django_apps.get_model(self.model)

    def view_url(self, pk: Any) -> str | None:
        """From the console's cached pattern: a search page links 20 records, the activity feed more."""
        if not self.view_url_name:
            return None
        from accord.platform.console.url_cache import url_for

        return url_for(self.view_url_name, int(pk))


entities: Registry[EntityDef] = Registry("entities")


def register_entity(entity: EntityDef) -> EntityDef:
    return entities.register(entity.key, entity)


def entity_for_model(model: type[models.Model]) -> EntityDef | None:
    label = f"{model._meta.app_label}.{model._meta.object_name}"
    for entity in entities:
        if entity.model == label:
            return entity
    return None


@dataclass(frozen=True)
class RoleTemplate:
    """A predefined console role; modules add grants for their entities to it."""

    name: str
    label: str
    description: str
    is_administrator: bool = False


role_templates: Registry[RoleTemplate] = Registry("role templates")
# (role name, entity key) -> {action: level}; filled by modules for the predefined roles.
role_grants: dict[tuple[str, str], dict[str, int]] = {}


def grant_to_role(role: str, entity: str, **levels: int) -> None:
    """Declare what a predefined role grants on an entity (applied when roles are synced)."""
    role_grants.setdefault((role, entity), {}).update(levels)


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str
    order: int
    icon: str = ""


@dataclass(frozen=True)
class MenuItem:
    key: str
    section: str
    label: str
    url_name: str
    order: int = 100
    entity: str | None = None  # shown only when the user may view it
    permission: Callable[[Any], bool] | None = None  # extra visibility test on the request
    administrators_only: bool = False


menu_sections: Registry[MenuSection] = Registry("menu sections")
menu_items: Registry[MenuItem] = Registry("menu items")


@dataclass(frozen=True)
class DashboardWidget:
    key: str
    title: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # request -> template context
    order: int = 100
    entity: str | None = None  # shown only when the user may view it
    width: int = 6  # grid columns out of 12


dashboard_widgets: Registry[DashboardWidget] = Registry("dashboard widgets")


@dataclass(frozen=True)
class SettingSection:
    key: str
    label: str
    order: int = 100
    description: str = ""


class SettingType(enum.StrEnum):
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    CHOICE = "choice"


@dataclass(frozen=True)
class SettingDef:
    key: str  # "<section>.<name>"
    section: str
    label: str
    type: SettingType
    default: Any
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    order: int = 100
    on_change: Callable[..., Any] | None = None  # called inside the write's transaction


setting_sections: Registry[SettingSection] = Registry("setting sections")
setting_defs: Registry[SettingDef] = Registry("settings")


@dataclass(frozen=True)
class JobType:
    key: str
    label: str
    handler: Callable[..., dict[str, Any] | None]  # (ctx: JobContext, **params) -> result


job_types: Registry[JobType] = Registry("job types")


@dataclass(frozen=True)
class SearchProvider:
    """Says how records of an entity become search documents."""

    entity: str
    label: str
    # Rows to index, as (id, title, text, owner_id, business_unit_id, organization_id) tuples.
    documents: Callable[[list[int] | None], Iterator[tuple[Any, ...]]]
    order: int = 100


search_providers: Registry[SearchProvider] = Registry("search providers")


@dataclass(frozen=True)
class ActivityPath:
    """Activities of `related_entity` records also show on a `target_entity` record."""

    key: str
    target_entity: str
    related_entity: str
    related_ids: Callable[[Any], Any]  # target pk -> queryset/iterable of related ids


activity_paths: Registry[ActivityPath] = Registry("activity paths")


@dataclass(frozen=True)
class DemoLoader:
    key: str
    label: str
    load: Callable[..., None]  # (organization, admin, progress) -> None
    order: int = 100


demo_loaders: Registry[DemoLoader] = Registry("demo loaders")


@dataclass(frozen=True)
class OrganizationSetup:
    """Records a module gives every organization once it has a top business unit (default labels...)."""

    key: str
    run: Callable[..., None]  # (organization, unit) -> None; idempotent, inside the caller's transaction


organization_setups: Registry[OrganizationSetup] = Registry("organization setups")


@dataclass
class ApiRouterEntry:
    prefix: str
    router: Any
    tags: list[str] = field(default_factory=list)


def module_installed(name: str) -> bool:
    """True when the Django app `accord.<name>` is installed."""
    return django_apps.is_installed(f"accord.{name}")
