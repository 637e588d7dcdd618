"""Console roles and their grants; the predefined roles are kept in step with the registry."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify

from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import AccessLevel, Role, RolePermission
from accord.platform.registries import entities, role_grants, role_templates


def _check_grants(grants: dict[str, dict[str, int]]) -> dict[tuple[str, str], int]:
    errors: dict[str, str] = {}
    flat: dict[tuple[str, str], int] = {}
    for entity, actions in grants.items():
        if entity not in entities:
            errors[f"grants.{entity}"] = "Unknown entity."
            continue
        definition = entities.get(entity)
        for action, level in actions.items():
            if action not in definition.actions:
                errors[f"grants.{entity}.{action}"] = (
                    f"Unknown action; one of {', '.join(definition.actions)}."
                )
            elif level not in AccessLevel.values:
                errors[f"grants.{entity}.{action}"] = "Unknown access level; 0 to 4."
            else:
                flat[(entity, action)] = int(level)
    if errors:
        raise ValidationFailed(errors)
    return flat


def role_grants_of(role: Role) -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = {}
    for perm in role.permissions.all():
        result.setdefault(perm.entity, {})[perm.action] = perm.level
    return result


def role_create(
    *,
    label: str,
    description: str = "",
    grants: dict[str, dict[str, int]] | None = None,
    name: str | None = None,
    actor: Any = None,
) -> Role:
    label = (label or "").strip()
    if not label:
        raise ValidationFailed({"label": "A label is required."})
    name = slugify(name or label)[:100]
    if not name:
        raise ValidationFailed({"label": "The label needs at least one letter or digit."})
    flat = _check_grants(grants or {})
    with transaction.atomic():
        if Role.objects.filter(name=name).exists():
            raise ValidationFailed({"label": "A role with this name already exists."})
        role = Role.objects.create(name=name, label=label[:255], description=description)
        RolePermission.objects.bulk_create(
            RolePermission(role=role, entity=e, action=a, level=lvl) for (e, a), lvl in flat.items()
        )
        audit.record_create(instance=role, actor=actor, extra={"grants": role_grants_of(role)})
    return role


def role_update(
    *,
    role: Role,
    label: str | None = None,
    description: str | None = None,
    grants: dict[str, dict[str, int]] | None = None,
    actor: Any = None,
) -> Role:
    """Change a role; grants given replace the grants of the entities they name."""
    flat = _check_grants(grants or {})
    with transaction.atomic(), audit.tracking(role, actor=actor) as extra:
        if label is not None:
            if not label.strip():
                raise ValidationFailed({"label": "A label is required."})
            role.label = label.strip()[:255]
        if description is not None:
            role.description = description
        role.save()
        if flat:
            old = role_grants_of(role)
            for (entity, action), level in flat.items():
                RolePermission.objects.update_or_create(
                    role=role, entity=entity, action=action, defaults={"level": level}
                )
            new = role_grants_of(role)
            if old != new:
                extra["grants"] = {"old": old, "new": new}
    return role


def role_delete(*, role: Role, actor: Any = None) -> None:
    if role.is_predefined:
        raise Conflict("Predefined roles cannot be deleted.")
    with transaction.atomic():
        if role.users.exists():
            raise Conflict("Users still have this role; take it from them first.")
        audit.record_delete(instance=role, actor=actor)
        role.delete()


def roles_sync_predefined() -> None:
    """Create the predefined roles and any grant they lack; grants an admin changed are kept."""
    with transaction.atomic():
        for template in role_templates:
            role, created = Role.objects.get_or_create(
                name=template.name,
                defaults={
                    "label": template.label,
                    "description": template.description,
                    "is_administrator": template.is_administrator,
                    "is_predefined": True,
                },
            )
            if not created and not role.is_predefined:
                role.is_predefined = True
                role.save(update_fields=["is_predefined"])
            existing = set(role.permissions.values_list("entity", "action"))
            missing = []
            for (role_name, entity), actions in role_grants.items():
                if role_name != template.name or entity not in entities:
                    continue
                for action, level in actions.items():
                    if (entity, action) not in existing:
                        missing.append(RolePermission(role=role, entity=entity, action=action, level=level))
            RolePermission.objects.bulk_create(missing)
