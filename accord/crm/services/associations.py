"""The customer association hub: an account's own row, and links of customer records of any channel.

Records that hang off a hub row (opportunities, leads) reference it with a foreign key; when a
customer record is unlinked they move to the account's own row, so they stay with the account
(oro-spec §2.1 "Deleting a commerce customer").
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, models, transaction

from accord.crm import signals
from accord.crm.models import Account, Channel, CustomerAssociation
from accord.crm.registries import customer_sources
from accord.platform import audit
from accord.platform.errors import ValidationFailed


def _actor_id(actor: Any) -> int | None:
    return getattr(actor, "pk", None)


def customer_association_for_account(*, account: Account) -> CustomerAssociation:
    """The account's own ("self") hub row, created on first use."""
    row = CustomerAssociation.objects.filter(account=account, source_type__isnull=True).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return CustomerAssociation.objects.create(account=account)
    except IntegrityError:  # created meanwhile by another transaction
        return CustomerAssociation.objects.get(account=account, source_type__isnull=True)


def _check_source(source_type: str, source_id: int) -> None:
    if source_type not in customer_sources:
        raise ValueError(f"{source_type!r} is not a registered customer source")
    if not isinstance(source_id, int) or source_id <= 0:
        raise ValueError(f"invalid source id {source_id!r}")


def customer_association_link(
    *,
    source_type: str,
    source_id: int,
    account: Account,
    channel: Channel | None = None,
    actor: Any = None,
) -> CustomerAssociation:
    """Link a customer record to an account (and channel); moves it when linked elsewhere; idempotent."""
    _check_source(source_type, source_id)
    if channel is not None and channel.organization_id != account.organization_id:
        raise ValidationFailed({"channel_id": "The channel belongs to another organization."})
    with transaction.atomic():
        row = (
            CustomerAssociation.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id)
            .first()
        )
        if row is not None and row.account_id == account.pk and row.channel_id == _pk(channel):
            return row
        old_account_id = row.account_id if row else None
        old_channel_id = row.channel_id if row else None
        if row is None:
            row = CustomerAssociation.objects.create(
                account=account, source_type=source_type, source_id=source_id, channel=channel
            )
        else:
            row.account = account
            row.channel = channel
            row.save(update_fields=["account", "channel", "updated_at"])
        _audit_link(account.pk, actor, f"{source_type}:{source_id}", old=None, new=True)
        if old_account_id and old_account_id != account.pk:
            _audit_link(old_account_id, actor, f"{source_type}:{source_id}", old=True, new=None)
        signals.announce(
            signals.customer_association_changed,
            CustomerAssociation,
            source_type=source_type,
            source_id=source_id,
            old_account_id=old_account_id,
            new_account_id=account.pk,
            old_channel_id=old_channel_id,
            new_channel_id=_pk(channel),
            actor_id=_actor_id(actor),
        )
    return row


def customer_association_unlink(*, source_type: str, source_id: int, actor: Any = None) -> bool:
    """Detach a customer record from its account; what hung off its hub row moves to the account's
    own row. Returns False when it was not linked."""
    _check_source(source_type, source_id)
    with transaction.atomic():
        row = (
            CustomerAssociation.objects.select_for_update()
            .filter(source_type=source_type, source_id=source_id)
            .first()
        )
        if row is None:
            return False
        account = Account.objects.get(pk=row.account_id)
        own = customer_association_for_account(account=account)
        move_dependents(from_ids=[row.pk], to_id=own.pk)
        row.delete()
        _audit_link(account.pk, actor, f"{source_type}:{source_id}", old=True, new=None)
        signals.announce(
            signals.customer_association_changed,
            CustomerAssociation,
            source_type=source_type,
            source_id=source_id,
            old_account_id=account.pk,
            new_account_id=None,
            old_channel_id=row.channel_id,
            new_channel_id=None,
            actor_id=_actor_id(actor),
        )
    return True


def dependent_relations() -> list[models.ForeignObjectRel]:
    """Foreign keys of other models pointing at the hub (opportunities, leads, ...)."""
    return [
        rel
        for rel in CustomerAssociation._meta.related_objects
        if rel.one_to_many or rel.one_to_one  # reverse side of a ForeignKey/OneToOne
    ]


def move_dependents(*, from_ids: list[int], to_id: int) -> int:
    """Re-point every record hanging off the given hub rows to another row (one UPDATE per model)."""
    moved = 0
    for rel in dependent_relations():
        model: Any = rel.related_model
        field = rel.field.name
        moved += model._default_manager.filter(**{f"{field}__in": from_ids}).update(**{field: to_id})
    return moved


def _pk(record: models.Model | None) -> Any:
    return record.pk if record is not None else None


def _audit_link(account_id: int, actor: Any, link: str, *, old: Any, new: Any) -> None:
    account = Account.objects.filter(pk=account_id).first()
    if account is None:
        return
    audit.record_update(
        instance=account,
        actor=actor,
        before=audit.snapshot(account),
        extra={"customer_links": {"old": link if old else None, "new": link if new else None}},
    )
