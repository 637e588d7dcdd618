"""Typed system settings: read with defaults, write with validation and audit."""

from __future__ import annotations

import decimal
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from accord.platform.errors import NotFound, ValidationFailed
from accord.platform.models import AuditEntry, ConfigValue
from accord.platform.registries import SettingDef, SettingType, setting_defs

_CACHE_KEY = "accord:settings:v1"


def _stored() -> dict[str, Any]:
    values = cache.get(_CACHE_KEY)
    if values is None:
        values = dict(ConfigValue.objects.values_list("key", "value"))
        cache.set(_CACHE_KEY, values, 300)
    return values


def setting_definition(key: str) -> SettingDef:
    try:
        return setting_defs.get(key)
    except KeyError:
        raise NotFound(f"There is no setting {key!r}.") from None


def setting_get(key: str) -> Any:
    """The current value of a setting, or its default."""
    definition = setting_definition(key)
    stored = _stored()
    if key in stored:
        return _from_json(definition, stored[key])
    return definition.default


def _from_json(definition: SettingDef, value: Any) -> Any:
    if definition.type == SettingType.DECIMAL:
        return decimal.Decimal(value)
    return value


def setting_clean(definition: SettingDef, value: Any) -> Any:
    """Coerce and validate a value for a setting, or raise ValidationFailed naming it."""
    key = definition.key
    try:
        cleaned = _coerce(definition, value)
    except (TypeError, ValueError, decimal.InvalidOperation):
        raise ValidationFailed({key: f"Expected a {definition.type.value} value."}) from None
    if definition.type == SettingType.CHOICE:
        allowed = [choice for choice, _ in definition.choices]
        if cleaned not in allowed:
            raise ValidationFailed({key: f"Choose one of: {', '.join(allowed)}."})
    if definition.type in (SettingType.INTEGER, SettingType.DECIMAL):
        if definition.min_value is not None and cleaned < definition.min_value:
            raise ValidationFailed({key: f"Must be at least {definition.min_value}."})
        if definition.max_value is not None and cleaned > definition.max_value:
            raise ValidationFailed({key: f"Must be at most {definition.max_value}."})
    if definition.type == SettingType.STRING and len(cleaned) > 1000:
        raise ValidationFailed({key: "At most 1000 characters."})
    return cleaned


def _coerce(definition: SettingDef, value: Any) -> Any:
    kind = definition.type
    if kind == SettingType.BOOLEAN:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "1", "yes", "on"):
            return True
        if isinstance(value, str) and value.lower() in ("false", "0", "no", "off", ""):
            return False
        raise ValueError(value)
    if kind == SettingType.INTEGER:
        if isinstance(value, bool):
            raise ValueError(value)
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(value)
        return int(value)
    if kind == SettingType.DECIMAL:
        if isinstance(value, bool):
            raise ValueError(value)
        return decimal.Decimal(str(value))
    if not isinstance(value, str):
        raise TypeError(value)
    return value.strip()


def _to_json(definition: SettingDef, value: Any) -> Any:
    return str(value) if definition.type == SettingType.DECIMAL else value


def setting_set(*, key: str, value: Any, actor: Any) -> Any:
    """Change a setting; audited, and the definition's on_change hook runs in the same transaction."""
    return settings_update(values={key: value}, actor=actor)[key]


def settings_update(*, values: dict[str, Any], actor: Any) -> dict[str, Any]:
    """Change several settings at once; all or nothing."""
    definitions = {key: setting_definition(key) for key in values}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, raw in values.items():
        try:
            cleaned[key] = setting_clean(definitions[key], raw)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        for key, value in cleaned.items():
            _write_one(definitions[key], value, actor)
        transaction.on_commit(lambda: cache.delete(_CACHE_KEY))
    cache.delete(_CACHE_KEY)
    return cleaned


def _write_one(definition: SettingDef, value: Any, actor: Any) -> None:
    old = setting_get(definition.key)
    if old == value:
        return
    row, _ = ConfigValue.objects.select_for_update().get_or_create(
        key=definition.key, defaults={"value": _to_json(definition, value)}
    )
    row.value = _to_json(definition, value)
    row.updated_by = actor if getattr(actor, "pk", None) else None
    row.save()
    AuditEntry.objects.create(
        entity="platform.setting",
        object_id=definition.key,
        object_repr=definition.label,
        action=AuditEntry.Action.UPDATE,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=str(actor) if actor else "System",
        at=timezone.now(),
        changes={"value": {"old": _to_json(definition, old), "new": _to_json(definition, value)}},
    )
    cache.delete(_CACHE_KEY)
    if definition.on_change is not None:
        definition.on_change(old=old, new=value, actor=actor)
