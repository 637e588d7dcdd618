"""Customer users on the storefront: self-registration, confirmation, invitations by a colleague,
and the changes a customer's administrators may make to their colleagues (enable/disable, the
self-managed roles). The storefront checks *whether* the acting user may (storefront ACL); these
services hold the rules of *what* may change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q

from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, EntryPoint
from accord.commerce.services._common import clean_name
from accord.commerce.services.customer_users import (
    _check_password,
    _clean_email,
    customer_user_create,
    customer_user_update,
)
from accord.commerce.services.customers import customer_create
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import User
from accord.platform.services.settings import setting_get

OWNER_SETTING = "commerce.default_customer_owner"


def default_customer_owner() -> User:
    """The console user who owns what registration creates (setting `commerce.default_customer_owner`)."""
    username = setting_get(OWNER_SETTING)
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None or owner.business_unit_id is None:
        raise Conflict(
            f"Registration is not available: the default customer owner {username!r} does not exist. "
            "An administrator must set it in the Commerce settings."
        )
    return owner


def _clean_registration(
    *, company_name: str, first_name: str, last_name: str, email: str, password: str
) -> dict[str, str]:
    """Check every field at once, so a form shows all its errors together."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, str] = {"company_name": (company_name or "").strip()}
    if len(cleaned["company_name"]) > 255:
        errors["company_name"] = ["At most 255 characters."]
    for field, value, label in (
        ("first_name", first_name, "A first name"),
        ("last_name", last_name, "A last name"),
        ("email", email, ""),
    ):
        try:
            cleaned[field] = (
                _clean_email(value) if field == "email" else clean_name(value, field=field, label=label)
            )
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    if not errors:
        candidate = CustomerUser(
            email=cleaned["email"], first_name=cleaned["first_name"], last_name=cleaned["last_name"]
        )
        try:
            _check_password(password, candidate)
        except ValidationFailed as exc:
            errors.update(exc.field_errors)
    elif not password:
        errors["password"] = ["A password is required."]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def customer_register(
    *,
    company_name: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    role: CustomerUserRole,
    confirmation_required: bool,
    actor: Any,
) -> CustomerUser:
    """Self-registration (oro-spec §2.5): a new root customer named after the company (or "First
    Last" without one) owned by the default customer owner, and its first user with `role`,
    unconfirmed when confirmation is required."""
    if role.customer_id is not None:
        raise ValidationFailed({"role": "The registration role must be a shared role."})
    data = _clean_registration(
        company_name=company_name, first_name=first_name, last_name=last_name, email=email, password=password
    )
    owner = default_customer_owner()
    with transaction.atomic():
        customer = customer_create(
            name=data["company_name"] or f"{data['first_name']} {data['last_name']}",
            owner=owner,
            entry_point=EntryPoint.REGISTRATION,
            actor=actor,
        )
        return customer_user_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            customer=customer,
            roles=[role],
            password=password,
            confirmed=not confirmation_required,
            owner=owner,
            entry_point=EntryPoint.REGISTRATION,
            actor=actor,
        )


def customer_user_confirm(*, customer_user: CustomerUser, actor: Any) -> CustomerUser:
    """The user proved its email address (a signed link); confirming twice changes nothing."""
    if customer_user.confirmed:
        return customer_user
    return customer_user_update(customer_user=customer_user, confirmed=True, actor=actor)


def customer_user_invite(
    *,
    customer: Customer,
    email: str,
    first_name: str,
    last_name: str,
    roles: Sequence[CustomerUserRole],
    actor: Any,
) -> CustomerUser:
    """A colleague invited from the storefront: no usable password until it follows the set-password
    link; only public roles the customer may use; owned like its customer."""
    hidden = [r.pk for r in roles if not r.public]
    if hidden:
        raise ValidationFailed({"role_ids": "Choose among the roles offered to your company."})
    owner = customer.owner if customer.owner_id else default_customer_owner()
    return customer_user_create(
        email=email,
        first_name=first_name,
        last_name=last_name,
        customer=customer,
        roles=roles,
        password=None,
        confirmed=True,
        owner=owner,
        entry_point=EntryPoint.REGISTRATION,
        actor=actor,
    )


def assignable_roles(customer: Customer) -> list[CustomerUserRole]:
    """Roles a customer's administrators may give or take on the storefront: public, self-managed,
    shared or the customer's own."""
    mine = Q(customer__isnull=True) | Q(customer=customer)
    return list(CustomerUserRole.objects.filter(mine, public=True, self_managed=True).order_by("label", "id"))


def _self_managed_roles(
    customer_user: CustomerUser, roles: Sequence[CustomerUserRole], by: CustomerUser
) -> list[CustomerUserRole]:
    """The user's new roles: the self-managed ones given, and every other role it has (kept)."""
    allowed = {r.pk for r in assignable_roles(customer_user.customer)}
    if any(r.pk not in allowed for r in roles):
        raise ValidationFailed({"role_ids": "Choose among the self-managed roles of your company."})
    current = list(customer_user.roles.all())
    if by.pk == customer_user.pk and {r.pk for r in current if r.pk in allowed} - {r.pk for r in roles}:
        raise Conflict("You cannot take your own roles away; ask another administrator.")
    return [*(r for r in current if r.pk not in allowed), *roles]


def customer_user_manage(
    *,
    customer_user: CustomerUser,
    by: CustomerUser,
    actor: Any,
    enabled: bool | None = None,
    roles: Sequence[CustomerUserRole] | None = None,
) -> CustomerUser:
    """What a customer's administrator changes on a colleague: enabled, and its self-managed roles
    (its other roles stay: the storefront cannot give or take them). Nobody disables itself or
    takes its own self-managed roles away (it would lock itself out)."""
    if enabled is False and by.pk == customer_user.pk:
        raise Conflict("You cannot disable your own user.")
    new_roles = _self_managed_roles(customer_user, roles, by) if roles is not None else None
    return customer_user_update(customer_user=customer_user, enabled=enabled, roles=new_roles, actor=actor)
