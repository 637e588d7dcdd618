"""Console users and their roles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accord.platform import acl, audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import BusinessUnit, Role, User
from accord.platform.rows import instances_insert


def _validate_password(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed({field: list(exc.messages)}) from None


def _validate_identity(*, username: str, email: str, exclude_pk: int | None = None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = "A username is required."
    elif len(username) > 150:
        errors["username"] = "At most 150 characters."
    elif User.objects.filter(username__iexact=username).exclude(pk=exclude_pk or 0).exists():
        errors["username"] = "This username is taken."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Enter a valid email address."
    return errors


def user_create(
    *,
    username: str,
    password: str,
    business_unit: BusinessUnit,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    roles: list[Role] | None = None,
    is_active: bool = True,
    actor: Any = None,
) -> User:
    username = (username or "").strip()
    email = (email or "").strip()
    errors = _validate_identity(username=username, email=email)
    if errors:
        raise ValidationFailed(errors)
    candidate = User(username=username, email=email, first_name=first_name, last_name=last_name)
    _validate_password(password, candidate)
    with transaction.atomic():
        user = User(
            username=username,
            email=email,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            organization_id=business_unit.organization_id,
            business_unit=business_unit,
            is_active=is_active,
        )
        user.set_password(password)
        user.save()
        if roles:
            user.roles.set(roles)
        audit.record_create(instance=user, actor=actor, extra={"roles": sorted(r.name for r in roles or [])})
    return user


def user_update(
    *,
    user: User,
    actor: Any = None,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    title: str | None = None,
    phone: str | None = None,
    business_unit: BusinessUnit | None = None,
    roles: list[Role] | None = None,
    is_active: bool | None = None,
) -> User:
    if email is not None:
        errors = _validate_identity(username=user.username, email=email.strip(), exclude_pk=user.pk)
        if errors:
            raise ValidationFailed(errors)
    if is_active is False and actor is not None and getattr(actor, "pk", None) == user.pk:
        raise ValidationFailed({"is_active": "You cannot disable your own account."})
    with transaction.atomic():
        with audit.tracking(user, actor=actor) as extra:
            for name, value in (
                ("email", email),
                ("first_name", first_name),
                ("last_name", last_name),
                ("title", title),
                ("phone", phone),
                ("is_active", is_active),
            ):
                if value is not None:
                    setattr(user, name, value.strip() if isinstance(value, str) else value)
            if business_unit is not None:
                if business_unit.organization_id != user.organization_id:
                    raise ValidationFailed(
                        {"business_unit_id": "The business unit belongs to another organization."}
                    )
                user.business_unit = business_unit
            user.save()
            if roles is not None:
                old = sorted(user.roles.values_list("name", flat=True))
                user.roles.set(roles)
                new = sorted(r.name for r in roles)
                if old != new:
                    extra["roles"] = {"old": old, "new": new}
        acl.forget(user)
    return user


def user_set_password(*, user: User, password: str, actor: Any = None, field: str = "password") -> User:
    _validate_password(password, user, field=field)
    with transaction.atomic():
        before = audit.snapshot(user)
        user.set_password(password)
        user.save(update_fields=["password"])
        changed = {"password": {"old": "***", "new": "***"}}
        audit.record_update(instance=user, actor=actor, before=before, extra=changed)
    return user


def user_change_password(*, user: User, old_password: str, new_password: str) -> User:
    """The user's own password change: the current password must be right."""
    if not user.check_password(old_password):
        raise ValidationFailed({"old_password": "Your current password is not right."})
    return user_set_password(user=user, password=new_password, actor=user, field="new_password")


def user_delete(*, user: User, actor: Any = None) -> None:
    if actor is not None and getattr(actor, "pk", None) == user.pk:
        raise Conflict("You cannot delete your own account.")
    from django.db.models import ProtectedError

    with transaction.atomic():
        audit.record_delete(instance=user, actor=actor)
        try:
            user.delete()
        except ProtectedError:
            raise Conflict("The user still owns records; disable the user or reassign them first.") from None


def users_bulk_create(
    *, rows: list[dict[str, Any]], password: str, roles: dict[str, list[Role]] | None = None
) -> list[User]:
    """Create many users in a few statements (imports, generated data); one password hash for all.

    Each row: username, email, first_name, last_name, business_unit (a BusinessUnit).
    """
    from django.contrib.auth.hashers import make_password

    hashed = make_password(password)
    users = [
        User(
            username=row["username"],
            email=row.get("email", ""),
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            business_unit=row["business_unit"],
            organization_id=row["business_unit"].organization_id,
            password=hashed,
        )
        for row in rows
    ]
    with transaction.atomic():
        created = instances_insert(users)
        if roles:
            links = [
                User.roles.through(user_id=user.pk, role_id=role.pk)
                for user in created
                for role in roles.get(user.username, [])
            ]
            instances_insert(links)
    return created
