"""Customer user roles: predefined (shared) or customer-specific, with storefront grants."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Q

from accord.commerce import storefront_acl
from accord.commerce.models import Customer, CustomerUser, CustomerUserRole, CustomerUserRoleGrant
from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed

ENTITY = "commerce.customer_user_role"
PREFIX = "ROLE_FRONTEND_"

Grants = Mapping[str, Mapping[str, int]]


def grants_of(role: CustomerUserRole) -> dict[str, dict[str, int]]:
    """The role's grants as {entity: {action: level}} (uses a prefetch of `grants` when present)."""
    result: dict[str, dict[str, int]] = {}
    for grant in role.grants.all():
        result.setdefault(grant.entity, {})[grant.action] = grant.level
    return result


def _clean_label(label: str | None) -> str:
    label = (label or "").strip()
    if not 3 <= len(label) <= 255:
        raise ValidationFailed({"label": "A label of 3 to 255 characters is required."})
    return label


def _check_label_free(label: str, customer_id: int | None, exclude_pk: int | None = None) -> None:
    scope = Q(customer_id=customer_id) if customer_id else Q(customer__isnull=True)
    clash = CustomerUserRole.objects.filter(scope, label__iexact=label)
    if clash.exclude(pk=exclude_pk or 0).exists():
        where = "this customer" if customer_id else "the shared roles"
        raise ValidationFailed({"label": f"A role with this label already exists for {where}."})


def role_code(label: str) -> str:
    """`ROLE_FRONTEND_<LABEL>`, with a random suffix when the plain code is taken."""
    base = PREFIX + (re.sub(r"[^A-Z0-9]+", "_", label.upper()).strip("_")[:200] or "ROLE")
    if not CustomerUserRole.objects.filter(role=base).exists():
        return base
    return f"{base}_{secrets.token_hex(4).upper()}"


def _write_grants(role: CustomerUserRole, flat: dict[tuple[str, str], int]) -> None:
    """Replace the grants of the entities named (one delete and one insert)."""
    entities = {key for key, _ in flat}
    CustomerUserRoleGrant.objects.filter(role=role, entity__in=entities).delete()
    CustomerUserRoleGrant.objects.bulk_create(
        CustomerUserRoleGrant(role=role, entity=e, action=a, level=lvl) for (e, a), lvl in flat.items() if lvl
    )


def customer_user_role_create(
    *,
    label: str,
    customer: Customer | None = None,
    self_managed: bool = False,
    public: bool = True,
    grants: Grants | None = None,
    actor: Any,
) -> CustomerUserRole:
    """A role for one customer, or (customer None) shared by all customers."""
    label = _clean_label(label)
    flat = storefront_acl.clean_grants(grants or {})
    if customer is not None and getattr(actor, "organization_id", customer.organization_id) != (
        customer.organization_id
    ):
        raise ValidationFailed({"customer_id": "The customer belongs to another organization."})
    with transaction.atomic():
        _check_label_free(label, customer.pk if customer else None)
        role = CustomerUserRole.objects.create(
            role=role_code(label), label=label, customer=customer, self_managed=self_managed, public=public
        )
        _write_grants(role, flat)
        audit.record_create(instance=role, actor=actor, extra={"grants": grants_of(role)})
    return role


def customer_user_role_update(
    *,
    role: CustomerUserRole,
    actor: Any,
    label: str | None = None,
    self_managed: bool | None = None,
    public: bool | None = None,
    grants: Grants | None = None,
) -> CustomerUserRole:
    """Change a role; grants given replace the grants of the entities they name."""
    flat = storefront_acl.clean_grants(grants or {})
    with transaction.atomic():
        role = CustomerUserRole.objects.select_for_update().get(pk=role.pk)
        with audit.tracking(role, actor=actor) as extra:
            if label is not None:
                role.label = _clean_label(label)
                _check_label_free(role.label, role.customer_id, exclude_pk=role.pk)
            if self_managed is not None:
                role.self_managed = self_managed
            if public is not None:
                role.public = public
            role.save()
            if flat:
                old = grants_of(role)
                _write_grants(role, flat)
                new = grants_of(role)
                if old != new:
                    extra["grants"] = {"old": old, "new": new}
    return role


def customer_user_role_delete(*, role: CustomerUserRole, actor: Any) -> None:
    """Delete a role, unless it is predefined or the only role of some customer user."""
    if role.is_predefined:
        raise Conflict("Predefined roles cannot be deleted.")
    with transaction.atomic():
        holders = CustomerUser.objects.filter(roles=role).values("pk")
        stranded = CustomerUser.objects.filter(pk__in=holders).annotate(n=Count("roles")).filter(n=1)
        if stranded.exists():
            raise Conflict("Some customer users have only this role; give them another role first.")
        audit.record_delete(instance=role, actor=actor)
        role.delete()
