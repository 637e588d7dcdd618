"""Turning `<name>_id` / `<name>_ids` input into records the caller may see (else 422 on the field)."""

from __future__ import annotations

from typing import Any

from accord.crm.models import Account, Contact, ContactGroup
from accord.platform import acl
from accord.platform.errors import ValidationFailed
from accord.platform.models import User


def _many(user: Any, entity: str, model: Any, ids: list[int], field: str, label: str) -> list[Any]:
    found = list(acl.visible(user, entity, model.objects.filter(pk__in=ids)))
    missing = sorted(set(ids) - {r.pk for r in found})
    if missing:
        raise ValidationFailed({field: f"Unknown {label}(s): {', '.join(map(str, missing))}."})
    return found


def account_ref(user: Any, pk: int | None, field: str) -> Account | None:
    return None if pk is None else _many(user, "crm.account", Account, [pk], field, "account")[0]


def accounts_ref(user: Any, ids: list[int], field: str = "account_ids") -> list[Account]:
    return _many(user, "crm.account", Account, ids, field, "account")


def contact_ref(user: Any, pk: int | None, field: str) -> Contact | None:
    return None if pk is None else _many(user, "crm.contact", Contact, [pk], field, "contact")[0]


def contacts_ref(user: Any, ids: list[int], field: str = "contact_ids") -> list[Contact]:
    return _many(user, "crm.contact", Contact, ids, field, "contact")


def groups_ref(user: Any, ids: list[int], field: str = "group_ids") -> list[ContactGroup]:
    return _many(user, "crm.contact_group", ContactGroup, ids, field, "contact group")


def user_ref(user: Any, pk: int | None, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, organization_id=user.organization_id).first()
    if found is None:
        raise ValidationFailed({field: f"Unknown user {pk}."})
    return found


def owner_ref(user: Any, entity: str, pk: int | None, record: Any = None) -> User | None:
    """The new owner; handing a record to someone other than the caller needs the assign grant."""
    if pk is None or (record is not None and pk == record.owner_id):
        return None
    owner = user_ref(user, pk, "owner_id")
    if record is not None or (owner is not None and owner.pk != user.pk):
        acl.require(user, entity, "assign", record)
    return owner
