"""Merging accounts (any number, a dry-run preview) and undoing a merge (oro-spec §2.9; decision 0012).

A merge moves every link of the merged accounts to the master (hub rows and what hangs off them,
every other foreign key to an account, activities), takes each field from the record the caller
chose, appends or replaces the contacts, deletes the merged accounts and keeps a `Merge` record with
the rows as they were. Undo checks that nothing involved changed since, then puts every row back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.crm import signals
from accord.crm.models import Account, CustomerAssociation, Merge, MergeStatus
from accord.crm.services import merge_state as ms
from accord.crm.services._common import set_owner
from accord.crm.services.associations import customer_association_for_account
from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import Activity
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.account"
FIELDS = ("name", "owner", "default_contact", "referred_by", "description", "external_id")
COLLECTIONS = ("contacts",)


@dataclass
class MergeResult:
    merge: Merge | None  # None for a dry run
    summary: dict[str, Any]


class _DryRun(Exception):
    def __init__(self, summary: dict[str, Any]) -> None:
        self.summary = summary


def _check(
    master: Account, others: Sequence[Account], choices: Mapping[str, Any], collections: Mapping[str, str]
) -> list[int]:
    ids = [master.pk, *dict.fromkeys(a.pk for a in others if a.pk != master.pk)]
    errors: dict[str, str] = {}
    if len(ids) < 2:
        errors["account_ids"] = "Choose at least two accounts to merge."
    if any(a.organization_id != master.organization_id for a in others):
        errors["account_ids"] = "The accounts belong to different organizations."
    for name, source in choices.items():
        if name not in FIELDS + COLLECTIONS:
            errors[f"field_choices.{name}"] = f"Fields are: {', '.join(FIELDS + COLLECTIONS)}."
        elif source not in ids:
            errors[f"field_choices.{name}"] = "Choose one of the merged accounts."
    for name, mode in collections.items():
        if name not in COLLECTIONS or mode not in ("append", "replace"):
            errors[f"collections.{name}"] = "Collections are contacts: append or replace."
    if errors:
        raise ValidationFailed(errors)
    return ids


def accounts_merge(
    *,
    master: Account,
    others: Sequence[Account],
    field_choices: Mapping[str, Any] | None = None,
    collections: Mapping[str, str] | None = None,
    dry_run: bool = False,
    actor: Any,
) -> MergeResult:
    """Merge `others` into `master`. `field_choices` says, per field, which account's value wins
    (default: the master's); `collections` appends (default) or replaces the contacts."""
    choices = dict(field_choices or {})
    modes = {"contacts": "append", **(collections or {})}
    ids = _check(master, others, choices, modes)
    try:
        with transaction.atomic():
            records = {a.pk: a for a in Account.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
            if len(records) != len(ids):
                raise ValidationFailed({"account_ids": "Some of the accounts no longer exist."})
            merge = _merge(records, ids, choices, modes, actor)
            if dry_run:
                raise _DryRun(merge.summary)
    except _DryRun as preview:
        return MergeResult(None, preview.summary)
    return MergeResult(merge, merge.summary)


def _capture(master_id: int, other_ids: list[int], records: dict[int, Account]) -> dict[str, Any]:
    contacts: dict[str, list[int]] = {str(pk): [] for pk in records}
    for account_id, contact_id in Account.contacts.through.objects.filter(account_id__in=records).values_list(
        "account_id", "contact_id"
    ):
        contacts[str(account_id)].append(contact_id)
    hub = CustomerAssociation.objects.filter(account_id__in=other_ids)
    self_rows = list(hub.filter(source_type__isnull=True))
    state: dict[str, Any] = {
        "accounts": {str(pk): ms.dump(a) for pk, a in records.items()},
        "contacts": {k: sorted(v) for k, v in contacts.items()},
        "hub_moved": ms.pairs(hub.filter(source_type__isnull=False), "account_id"),
        "self_rows": [ms.dump(row) for row in self_rows],
        "self_dependents": [
            {"model": model._meta.label, "field": attname, "rows": rows}
            for model, attname in ms.hub_relations()
            if (
                rows := ms.pairs(
                    model._default_manager.filter(**{f"{attname}__in": [r.pk for r in self_rows]}), attname
                )
            )
        ],
        "moved": [],
        "derived": [],
        "activities": ms.pairs(
            Activity.objects.filter(target_entity=ENTITY, target_id__in=other_ids), "target_id"
        ),
    }
    for model, attname, derived in ms.account_relations():
        rows = model._default_manager.filter(**{f"{attname}__in": other_ids})
        if model is Account:
            # The merged accounts go; the master's own "referred by" is one of the merged fields.
            rows = rows.exclude(pk__in=[master_id, *other_ids])
        if derived:
            if dumped := [ms.dump(row) for row in rows]:
                state["derived"].append({"model": model._meta.label, "rows": dumped})
        elif moved := ms.pairs(rows, attname):
            state["moved"].append({"model": model._meta.label, "field": attname, "rows": moved})
    return state


def _merge(
    records: dict[int, Account], ids: list[int], choices: dict[str, Any], modes: dict[str, str], actor: Any
) -> Merge:
    master_id, other_ids = ids[0], ids[1:]
    master = records[master_id]
    state = _capture(master_id, other_ids, records)
    before = audit.snapshot(master)
    # Links move to the master: what hangs off the merged accounts' own hub rows, then the rows.
    if state["self_dependents"]:
        had_own = CustomerAssociation.objects.filter(account=master, source_type__isnull=True).exists()
        own = customer_association_for_account(account=master)
        state["master_self_created"] = None if had_own else own.pk
        for group in state["self_dependents"]:
            ms.model_of(group["model"])._default_manager.filter(pk__in=[p for p, _ in group["rows"]]).update(
                **{group["field"]: own.pk}
            )
    moved_links: list[Any] = list(
        CustomerAssociation.objects.filter(account_id__in=other_ids, source_type__isnull=False).values_list(
            "source_type", "source_id"
        )
    )
    CustomerAssociation.objects.filter(account_id__in=other_ids, source_type__isnull=False).update(
        account_id=master_id
    )
    for group in state["moved"]:
        ms.model_of(group["model"])._default_manager.filter(pk__in=[p for p, _ in group["rows"]]).update(
            **{group["field"]: master_id}
        )
    Activity.objects.filter(pk__in=[p for p, _ in state["activities"]]).update(target_id=master_id)
    contacts = _contacts(state["contacts"], master_id, choices, modes)
    Account.objects.filter(pk__in=other_ids).delete()
    master.refresh_from_db()
    _apply_fields(master, records, choices, other_ids)
    if master.default_contact_id and master.default_contact_id not in contacts:
        contacts.append(master.default_contact_id)  # oro-spec #2
    master.save()
    master.contacts.set(sorted(set(contacts)))
    state["master_after"] = {"updated_at": master.updated_at.isoformat(), "contacts": sorted(set(contacts))}
    summary = _summary(master, records, before, state, moved_links, other_ids)
    merge = Merge.objects.create(
        master_id=master_id,
        master_name=master.name,
        merged_ids=other_ids,
        merged_names=[records[pk].name for pk in other_ids],
        organization_id=master.organization_id,
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary,
        state=state,
    )
    audit.record_update(
        instance=master, actor=actor, before=before, extra={"merged": {"old": None, "new": other_ids}}
    )
    for pk in other_ids:
        audit.record_delete(instance=records[pk], actor=actor)
    search_index_update(entity=ENTITY, ids=[master_id])
    search_index_remove(entity=ENTITY, ids=other_ids)
    signals.announce(
        signals.accounts_merged,
        Account,
        master_id=master_id,
        merged_ids=other_ids,
        moved_links=moved_links,
        merge_id=merge.pk,
        actor_id=getattr(actor, "pk", None),
    )
    return merge


def _contacts(
    before: dict[str, list[int]], master_id: int, choices: dict[str, Any], modes: dict[str, str]
) -> list[int]:
    if modes["contacts"] == "replace":
        return list(before[str(choices.get("contacts", master_id))])
    return sorted({c for ids in before.values() for c in ids})  # oro-spec #85: union, no duplicates


def _apply_fields(
    master: Account, records: dict[int, Account], choices: dict[str, Any], other_ids: list[int]
) -> None:
    """oro-spec #84: each field takes the value of the chosen record."""
    for name in FIELDS:
        source = records[choices.get(name, master.pk)]
        if name == "owner":
            if source.owner is not None:
                set_owner(master, source.owner)
        else:
            attname = f"{name}_id" if name in ("default_contact", "referred_by") else name
            setattr(master, attname, getattr(source, attname))
    if master.referred_by_id in (master.pk, *other_ids):
        master.referred_by_id = None


def _summary(
    master: Account,
    records: dict[int, Account],
    before: dict[str, Any],
    state: dict[str, Any],
    moved_links: list[Any],
    other_ids: list[int],
) -> dict[str, Any]:
    after = audit.snapshot(master)
    return {
        "master_id": master.pk,
        "merged_ids": other_ids,
        "fields": {k: {"old": before.get(k), "new": v} for k, v in after.items() if before.get(k) != v},
        "contacts": {"old": state["contacts"][str(master.pk)], "new": state["master_after"]["contacts"]},
        "customer_links": [list(link) for link in moved_links],
        "moved": {g["model"]: len(g["rows"]) for g in state["moved"] + state["self_dependents"]},
        "activities": len(state["activities"]),
        "deleted_account_ids": other_ids,
    }


def merge_undo(*, merge: Merge, actor: Any) -> Merge:
    """Restore the merged accounts and every moved row, unless something involved changed since
    (409 naming what changed)."""
    if merge.entity == "crm.contact":
        from accord.crm.services.contact_merges import contact_merge_undo

        return contact_merge_undo(merge=merge, actor=actor)
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.status != MergeStatus.DONE:
            raise Conflict("This merge was already undone.")
        problems = _undo_conflicts(merge)
        if problems:
            raise Conflict("The merge cannot be undone: " + " ".join(problems))
        _restore(merge)
        merge.status = MergeStatus.UNDONE
        merge.undone_at = timezone.now()
        merge.undone_by = actor if getattr(actor, "pk", None) else None
        merge.save(update_fields=["status", "undone_at", "undone_by"])
        master = Account.objects.get(pk=merge.master_id)
        audit.record_update(
            instance=master,
            actor=actor,
            before=audit.snapshot(master),
            extra={"merge_undone": {"old": merge.merged_ids, "new": None}},
        )
        for account in Account.objects.filter(pk__in=merge.merged_ids):
            audit.record_create(instance=account, actor=actor, extra={"restored_by_undo_of_merge": merge.pk})
        search_index_update(entity=ENTITY, ids=[merge.master_id, *merge.merged_ids])
        signals.announce(
            signals.merge_undone,
            Account,
            master_id=merge.master_id,
            restored_ids=list(merge.merged_ids),
            moved_links=[tuple(link) for link in merge.summary.get("customer_links", [])],
            merge_id=merge.pk,
            actor_id=getattr(actor, "pk", None),
        )
    return merge


def _undo_conflicts(merge: Merge) -> list[str]:
    state, master_id = merge.state, merge.master_id
    master = Account.objects.filter(pk=master_id).first()
    if master is None:
        return [f"The master account “{merge.master_name}” ({master_id}) was deleted."]
    problems = []
    label = f"account “{master.name}” ({master_id})"
    if master.updated_at.isoformat() != state["master_after"]["updated_at"]:
        problems.append(f"The {label} was edited since the merge.")
    if sorted(master.contacts.values_list("pk", flat=True)) != state["master_after"]["contacts"]:
        problems.append(f"The contacts of the {label} changed since the merge.")
    groups = [("crm.CustomerAssociation", "account_id", state["hub_moved"], master_id)]
    groups += [(g["model"], g["field"], g["rows"], master_id) for g in state["moved"]]
    groups += [("platform.Activity", "target_id", state["activities"], master_id)]
    own = CustomerAssociation.objects.filter(account_id=master_id, source_type__isnull=True).first()
    groups += [(g["model"], g["field"], g["rows"], own.pk if own else 0) for g in state["self_dependents"]]
    for model_label, attname, rows, target in groups:
        model = ms.model_of(model_label)
        if gone := ms.still_pointing(model, attname, rows, target):
            names = ", ".join(map(str, gone[:10]))
            problems.append(
                f"{model._meta.verbose_name_plural.capitalize()} {names} no longer belong to the {label}."
            )
    problems += _restore_blockers(merge)
    return problems


def _restore_blockers(merge: Merge) -> list[str]:
    """Rows the restored accounts refer to that are gone, and values now taken by others."""
    from accord.crm.models import Contact

    state, problems = merge.state, []
    restored = [ms.load(Account, row) for pk, row in state["accounts"].items() if int(pk) != merge.master_id]
    if Account.objects.filter(pk__in=merge.merged_ids).exists():
        problems.append("An account with the id of a merged account exists.")
    wanted = {c for pk, ids in state["contacts"].items() for c in ids}
    wanted |= {row["default_contact_id"] for row in restored if row["default_contact_id"]}
    missing = wanted - set(Contact.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    if missing:
        problems.append(f"Contacts {', '.join(map(str, sorted(missing)))} were deleted since the merge.")
    referred = {row["referred_by_id"] for row in restored if row["referred_by_id"]} - set(merge.merged_ids)
    if referred - set(Account.objects.filter(pk__in=referred).values_list("pk", flat=True)):
        problems.append("An account a merged account was referred by was deleted since the merge.")
    external = {row["external_id"]: row["id"] for row in restored if row["external_id"]}
    clash = Account.objects.filter(
        organization_id=merge.organization_id, external_id__in=list(external)
    ).exclude(pk=merge.master_id)
    for other in clash:
        problems.append(
            f"The external id “{other.external_id}” is now used by account “{other.name}” ({other.pk})."
        )
    return problems


def _restore(merge: Merge) -> None:
    state, master_id = merge.state, merge.master_id
    rows = {int(pk): ms.load(Account, row) for pk, row in state["accounts"].items()}
    master_row = rows.pop(master_id)
    Account.objects.filter(pk=master_id).update(**{k: v for k, v in master_row.items() if k != "id"})
    # The merged accounts come back first without their references to accounts, then with them.
    for row in rows.values():
        Account.objects.bulk_create([Account(**{**row, "referred_by_id": None})])
        Account.objects.filter(pk=row["id"]).update(**{k: v for k, v in row.items() if k != "id"})
    through = Account.contacts.through
    through.objects.filter(account_id=master_id).delete()
    through.objects.bulk_create(
        through(account_id=int(pk), contact_id=c) for pk, ids in state["contacts"].items() for c in ids
    )
    ms.insert_exact(CustomerAssociation, state["self_rows"])
    for group in state["self_dependents"]:
        ms.move_back(ms.model_of(group["model"]), group["field"], group["rows"])
    if state.get("master_self_created"):
        CustomerAssociation.objects.filter(pk=state["master_self_created"]).delete()
    ms.move_back(CustomerAssociation, "account_id", state["hub_moved"])
    for group in state["moved"]:
        ms.move_back(ms.model_of(group["model"]), group["field"], group["rows"])
    ms.move_back(Activity, "target_id", state["activities"])
    for group in state["derived"]:
        ms.insert_exact(ms.model_of(group["model"]), group["rows"])
