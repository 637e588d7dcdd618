"""Customer users: the buyers of a customer, with at least one role and a hashed password."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accord.commerce import signals, storefront_acl
from accord.commerce.models import Customer, CustomerUser, CustomerUserAddress, CustomerUserRole, EntryPoint
from accord.commerce.services._common import actor_id, clean_name, owner_for, set_owner
from accord.commerce.services.addresses import clean_addresses, replace_addresses
from accord.platform import audit
from accord.platform.errors import ValidationFailed
from accord.platform.models import User
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "commerce.customer_user"
KEEP: Any = ...
_NAME_PARTS = ("name_prefix", "middle_name", "name_suffix")


def _clean_email(email: str | None, exclude_pk: int | None = None) -> str:
    email = (email or "").strip()
    if not 6 <= len(email) <= 255:
        raise ValidationFailed({"email": "An email address of 6 to 255 characters is required."})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed({"email": "Enter a valid email address."}) from None
    if CustomerUser.objects.filter(email_lower=email.lower()).exclude(pk=exclude_pk or 0).exists():
        raise ValidationFailed({"email": "Another customer user has this email address."})
    return email


def _clean_birthday(birthday: dt.date | None) -> dt.date | None:
    if birthday is not None and birthday > timezone.localdate():
        raise ValidationFailed({"birthday": "A birthday cannot be in the future."})
    return birthday


def _clean_roles(roles: Sequence[CustomerUserRole], customer: Customer) -> list[CustomerUserRole]:
    """At least one role, each shared (predefined) or the customer's own."""
    if not roles:
        raise ValidationFailed({"role_ids": "A customer user needs at least one role."})
    foreign = [r.pk for r in roles if r.customer_id is not None and r.customer_id != customer.pk]
    if foreign:
        listed = ", ".join(map(str, foreign))
        raise ValidationFailed({"role_ids": f"Role(s) {listed} belong to another customer."})
    return list(roles)


def _check_password(password: str, candidate: CustomerUser) -> None:
    try:
        password_validation.validate_password(password, cast(Any, candidate))
    except ValidationError as exc:
        raise ValidationFailed({"password": list(exc.messages)}) from None


def customer_user_create(
    *,
    email: str,
    first_name: str,
    last_name: str,
    customer: Customer | None,
    roles: Sequence[CustomerUserRole],
    password: str | None = None,
    name_prefix: str = "",
    middle_name: str = "",
    name_suffix: str = "",
    birthday: dt.date | None = None,
    enabled: bool = True,
    confirmed: bool = True,
    is_guest: bool = False,
    owner: User | None = None,
    addresses: Sequence[Mapping[str, Any]] = (),
    entry_point: str = EntryPoint.CONSOLE,
    actor: Any,
) -> CustomerUser:
    """Create a customer user; without a password it cannot log in until one is set."""
    if customer is None:
        raise ValidationFailed({"customer_id": "A customer is required."})
    owner = owner_for(owner=owner, actor=actor)
    if owner.organization_id != customer.organization_id:
        raise ValidationFailed({"customer_id": "The customer belongs to another organization."})
    user = CustomerUser(
        first_name=clean_name(first_name, field="first_name", label="A first name"),
        last_name=clean_name(last_name, field="last_name", label="A last name"),
        birthday=_clean_birthday(birthday),
        customer=customer,
        enabled=enabled,
        confirmed=confirmed,
        is_guest=is_guest,
        **{
            part: (value or "").strip()[: 64 if part != "middle_name" else 255]
            for part, value in zip(_NAME_PARTS, (name_prefix, middle_name, name_suffix), strict=True)
        },
    )
    set_owner(user, owner)
    roles = _clean_roles(roles, customer)
    rows = clean_addresses(addresses)
    with transaction.atomic():
        user.email = _clean_email(email)
        user.email_lower = user.email.lower()
        if password is not None:
            _check_password(password, user)
        user.set_password(password)
        user.save()
        user.roles.set(roles)
        if rows:
            replace_addresses(model=CustomerUserAddress, owner_field="customer_user", owner=user, rows=rows)
        audit.record_create(
            instance=user, actor=actor, extra={"roles": sorted(r.role for r in roles), "addresses": len(rows)}
        )
        search_index_update(entity=ENTITY, ids=[user.pk])
        signals.announce(
            signals.customer_user_registered,
            CustomerUser,
            customer_user_id=user.pk,
            customer_id=customer.pk,
            entry_point=entry_point,
            actor_id=actor_id(actor),
        )
    return user


def customer_user_update(
    *,
    customer_user: CustomerUser,
    actor: Any,
    email: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    name_prefix: str | None = None,
    middle_name: str | None = None,
    name_suffix: str | None = None,
    birthday: dt.date | None = KEEP,
    customer: Customer | None = None,
    roles: Sequence[CustomerUserRole] | None = None,
    enabled: bool | None = None,
    confirmed: bool | None = None,
    is_guest: bool | None = None,
    owner: User | None = None,
    password: str | None = None,
    addresses: Sequence[Mapping[str, Any]] | None = None,
) -> CustomerUser:
    rows = clean_addresses(addresses) if addresses is not None else None
    with transaction.atomic():
        user = CustomerUser.objects.select_for_update().get(pk=customer_user.pk)
        with audit.tracking(user, actor=actor) as extra:
            if email is not None:
                user.email = _clean_email(email, exclude_pk=user.pk)
                user.email_lower = user.email.lower()
            if first_name is not None:
                user.first_name = clean_name(first_name, field="first_name", label="A first name")
            if last_name is not None:
                user.last_name = clean_name(last_name, field="last_name", label="A last name")
            for part, value in zip(_NAME_PARTS, (name_prefix, middle_name, name_suffix), strict=True):
                if value is not None:
                    setattr(user, part, value.strip()[: 255 if part == "middle_name" else 64])
            if birthday is not KEEP:
                user.birthday = _clean_birthday(birthday)
            if customer is not None:
                if customer.organization_id != user.organization_id:
                    raise ValidationFailed({"customer_id": "The customer belongs to another organization."})
                user.customer = customer
            for name, flag in (("enabled", enabled), ("confirmed", confirmed), ("is_guest", is_guest)):
                if flag is not None:
                    setattr(user, name, flag)
            if owner is not None:
                if owner.organization_id != user.organization_id:
                    raise ValidationFailed({"owner_id": "The owner belongs to another organization."})
                set_owner(user, owner)
            if password:
                _check_password(password, user)
                user.set_password(password)
                extra["password"] = {"old": "***", "new": "*** (changed)"}
            old_roles = list(user.roles.all())
            new_roles = _clean_roles(roles if roles is not None else old_roles, user.customer)
            user.save()
            if roles is not None and {r.pk for r in old_roles} != {r.pk for r in new_roles}:
                user.roles.set(new_roles)
                extra["roles"] = {
                    "old": sorted(r.role for r in old_roles),
                    "new": sorted(r.role for r in new_roles),
                }
            if rows is not None:
                change = replace_addresses(
                    model=CustomerUserAddress, owner_field="customer_user", owner=user, rows=rows
                )
                if change:
                    extra["addresses"] = change
        storefront_acl.forget(customer_user)
        search_index_update(entity=ENTITY, ids=[user.pk])
    return user


def customer_user_delete(*, customer_user: CustomerUser, actor: Any) -> None:
    with transaction.atomic():
        audit.record_delete(instance=customer_user, actor=actor)
        pk = customer_user.pk
        customer_user.delete()
        search_index_remove(entity=ENTITY, ids=[pk])
