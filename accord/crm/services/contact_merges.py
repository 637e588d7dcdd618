"""Merging contacts, the same way as accounts (oro-spec §2.9 "Contacts are also mergeable"), with undo.

Fields take the chosen record's value; emails, phones, addresses, groups and accounts are appended
(union, duplicates dropped, one primary kept) or replaced by the chosen record's; every other
foreign key to a contact (default contact of accounts, reports-to, business customers,
opportunities, ...) and the activities move to the master. The merge record keeps the rows so
that undo puts everything back (decision 0012).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from accord.crm.models import Account, Contact, ContactAddress, ContactEmail, ContactPhone, Merge, MergeStatus
from accord.crm.services import merge_state as ms
from accord.crm.services._common import set_owner
from accord.crm.services.contact_details import sync_primary
from accord.crm.services.merges import MergeResult, _DryRun
from accord.platform import audit
from accord.platform.errors import Conflict, ValidationFailed
from accord.platform.models import Activity
from accord.platform.search import search_index_remove, search_index_update

ENTITY = "crm.contact"
FIELDS = (
    "name_prefix first_name middle_name last_name name_suffix gender birthday job_title source method "
    "owner assigned_to reports_to description fax skype twitter facebook linkedin google_plus"
).split()
CHILDREN: dict[str, Any] = {"emails": ContactEmail, "phones": ContactPhone, "addresses": ContactAddress}
COLLECTIONS = (*CHILDREN, "groups", "accounts")
GROUPS = Contact.groups.through
ACCOUNTS = Account.contacts.through


def _check(
    master: Contact, others: Sequence[Contact], choices: Mapping[str, Any], modes: Mapping[str, str]
) -> list[int]:
    ids = [master.pk, *dict.fromkeys(c.pk for c in others if c.pk != master.pk)]
    errors: dict[str, str] = {}
    if len(ids) < 2:
        errors["contact_ids"] = "Choose at least two contacts to merge."
    if any(c.organization_id != master.organization_id for c in others):
        errors["contact_ids"] = "The contacts belong to different organizations."
    for name, source in choices.items():
        if name not in (*FIELDS, *COLLECTIONS):
            errors[f"field_choices.{name}"] = "Not a field of a contact."
        elif source not in ids:
            errors[f"field_choices.{name}"] = "Choose one of the merged contacts."
    for name, mode in modes.items():
        if name not in COLLECTIONS or mode not in ("append", "replace"):
            errors[f"collections.{name}"] = f"Collections are {', '.join(COLLECTIONS)}: append or replace."
    if errors:
        raise ValidationFailed(errors)
    return ids


def contacts_merge(
    *,
    master: Contact,
    others: Sequence[Contact],
    field_choices: Mapping[str, Any] | None = None,
    collections: Mapping[str, str] | None = None,
    dry_run: bool = False,
    actor: Any,
) -> MergeResult:
    choices = dict(field_choices or {})
    modes = dict.fromkeys(COLLECTIONS, "append") | dict(collections or {})
    ids = _check(master, others, choices, modes)
    try:
        with transaction.atomic():
            records = {c.pk: c for c in Contact.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
            if len(records) != len(ids):
                raise ValidationFailed({"contact_ids": "Some of the contacts no longer exist."})
            merge = _merge(records, ids, choices, modes, actor)
            if dry_run:
                raise _DryRun(merge.summary)
    except _DryRun as preview:
        return MergeResult(None, preview.summary)
    return MergeResult(merge, merge.summary)


def _links(through: Any, column: str, ids: list[int]) -> dict[str, list[int]]:
    result: dict[str, list[int]] = {str(pk): [] for pk in ids}
    for contact_id, other in through.objects.filter(contact_id__in=ids).values_list("contact_id", column):
        result[str(contact_id)].append(other)
    return {k: sorted(v) for k, v in result.items()}


def _capture(ids: list[int], records: dict[int, Contact]) -> dict[str, Any]:
    other_ids = ids[1:]
    state: dict[str, Any] = {
        "contacts": {str(pk): ms.dump(c) for pk, c in records.items()},
        "groups": _links(GROUPS, "contactgroup_id", ids),
        "accounts": _links(ACCOUNTS, "account_id", ids),
        "children": {
            name: [ms.dump(row) for row in model.objects.filter(contact_id__in=ids).order_by("pk")]
            for name, model in CHILDREN.items()
        },
        "moved": [],
        "activities": ms.pairs(
            Activity.objects.filter(target_entity=ENTITY, target_id__in=other_ids), "target_id"
        ),
    }
    for rel in Contact._meta.related_objects:
        model: Any = rel.related_model
        if not (rel.one_to_many or rel.one_to_one) or model in CHILDREN.values():
            continue
        rows = model._default_manager.filter(**{f"{rel.field.attname}__in": other_ids})
        if model is Contact:
            rows = rows.exclude(pk__in=ids)
        if moved := ms.pairs(rows, rel.field.attname):
            state["moved"].append({"model": model._meta.label, "field": rel.field.attname, "rows": moved})
    return state


def _collection_rows(
    state: dict[str, Any], ids: list[int], name: str, source: int, mode: str
) -> list[dict[str, Any]]:
    """The child rows the master ends with: the chosen record's, or everyone's without duplicates."""
    model = CHILDREN[name]
    rows = [ms.load(model, r) for r in state["children"][name]]
    picked = (
        [r for r in rows if r["contact_id"] == source]
        if mode == "replace"
        else sorted(rows, key=lambda r: (ids.index(r["contact_id"]), not r["primary"], r["id"]))
    )
    result: list[dict[str, Any]] = []
    seen: set[Any] = set()
    taken: set[str] = set()
    for row in picked:
        key = str(row.get("email") or row.get("phone") or "").lower() or (row.get("street"), row.get("city"))
        if key in seen:
            continue
        seen.add(key)
        fresh = {k: v for k, v in row.items() if k not in ("id", "contact_id")}
        fresh["primary"] = not result  # the first kept row (the master's primary first) is primary
        for kind in ("billing", "shipping"):
            if fresh.get(f"is_{kind}"):
                fresh[f"is_{kind}"] = kind not in taken
                taken.add(kind)
        result.append(fresh)
    return result


def _merge(
    records: dict[int, Contact], ids: list[int], choices: dict[str, Any], modes: dict[str, str], actor: Any
) -> Merge:
    master_id, other_ids = ids[0], ids[1:]
    master = records[master_id]
    state = _capture(ids, records)
    before = audit.snapshot(master)
    for group in state["moved"]:
        ms.model_of(group["model"])._default_manager.filter(pk__in=[p for p, _ in group["rows"]]).update(
            **{group["field"]: master_id}
        )
    Activity.objects.filter(pk__in=[p for p, _ in state["activities"]]).update(target_id=master_id)
    children, many = _collections_chosen(state, ids, choices, modes)
    Contact.objects.filter(pk__in=other_ids).delete()
    master.refresh_from_db()
    _fields_taken(master, records, ids, choices)
    for name, model in CHILDREN.items():
        model.objects.filter(contact_id=master_id).delete()
        model.objects.bulk_create([model(contact_id=master_id, **row) for row in children[name]])
    sync_primary(master)
    master.groups.set(sorted(many["groups"]))
    master.accounts.set(sorted(many["accounts"]))
    master.refresh_from_db()
    state["master_after"] = {
        "updated_at": master.updated_at.isoformat(),
        "groups": sorted(many["groups"]),
        "accounts": sorted(many["accounts"]),
        "children": {
            n: sorted(m.objects.filter(contact_id=master_id).values_list("pk", flat=True))
            for n, m in CHILDREN.items()
        },
    }
    after = audit.snapshot(master)
    summary = {
        "master_id": master_id,
        "merged_ids": other_ids,
        "fields": {k: {"old": before.get(k), "new": v} for k, v in after.items() if before.get(k) != v},
        "collections": {n: len(rows) for n, rows in children.items()} | {n: len(v) for n, v in many.items()},
        "moved": {g["model"]: len(g["rows"]) for g in state["moved"]},
        "activities": len(state["activities"]),
        "deleted_contact_ids": other_ids,
    }
    merge = Merge.objects.create(
        entity=ENTITY,
        master_id=master_id,
        master_name=str(master)[:255],
        merged_ids=other_ids,
        merged_names=[str(records[pk]) for pk in other_ids],
        organization_id=master.organization_id,
        actor=actor if getattr(actor, "pk", None) else None,
        summary=summary,
        state=state,
    )
    _recorded(master, records, other_ids, before, actor, sorted(many["accounts"]))
    return merge


def _collections_chosen(
    state: dict[str, Any], ids: list[int], choices: dict[str, Any], modes: dict[str, str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, set[int]]]:
    """The master's child rows (emails, phones, addresses) and its groups and accounts after the merge:
    the chosen record's (`replace`) or every record's (`append`)."""
    master_id = ids[0]
    children = {
        name: _collection_rows(state, ids, name, int(choices.get(name, master_id)), modes[name])
        for name in CHILDREN
    }
    many = {}
    for name in ("groups", "accounts"):
        lists = state[name]
        many[name] = (
            set(lists[str(choices.get(name, master_id))])
            if modes[name] == "replace"
            else {x for values in lists.values() for x in values}
        )
    # An account whose default contact became the master keeps it among its contacts (oro-spec #2).
    many["accounts"] |= set(Account.objects.filter(default_contact_id=master_id).values_list("pk", flat=True))
    return children, many


def _fields_taken(
    master: Contact, records: dict[int, Contact], ids: list[int], choices: dict[str, Any]
) -> None:
    """Each field from the record the caller chose for it (the master's own by default)."""
    for name in FIELDS:
        source = records[int(choices.get(name, master.pk))]
        if name == "owner":
            if source.owner is not None:
                set_owner(master, source.owner)
            continue
        attname = f"{name}_id" if name in ("assigned_to", "reports_to") else name
        setattr(master, attname, getattr(source, attname))
    if master.reports_to_id in ids:
        master.reports_to_id = None
    master.save()


def _recorded(
    master: Contact,
    records: dict[int, Contact],
    other_ids: list[int],
    before: dict[str, Any],
    actor: Any,
    account_ids: list[int],
) -> None:
    """The merge's audit entries and search documents (the master's accounts list its contacts)."""
    audit.record_update(
        instance=master, actor=actor, before=before, extra={"merged": {"old": None, "new": other_ids}}
    )
    for pk in other_ids:
        audit.record_delete(instance=records[pk], actor=actor)
    search_index_update(entity=ENTITY, ids=[master.pk])
    search_index_remove(entity=ENTITY, ids=other_ids)
    search_index_update(entity="crm.account", ids=account_ids)


def contact_merge_undo(*, merge: Merge, actor: Any) -> Merge:
    with transaction.atomic():
        merge = Merge.objects.select_for_update().get(pk=merge.pk)
        if merge.status != MergeStatus.DONE:
            raise Conflict("This merge was already undone.")
        problems = _conflicts(merge)
        if problems:
            raise Conflict("The merge cannot be undone: " + " ".join(problems))
        _restore(merge)
        merge.status = MergeStatus.UNDONE
        merge.undone_at = timezone.now()
        merge.undone_by = actor if getattr(actor, "pk", None) else None
        merge.save(update_fields=["status", "undone_at", "undone_by"])
        for contact in Contact.objects.filter(pk__in=merge.merged_ids):
            audit.record_create(instance=contact, actor=actor, extra={"restored_by_undo_of_merge": merge.pk})
        search_index_update(entity=ENTITY, ids=[merge.master_id, *merge.merged_ids])
        accounts = {a for ids in merge.state["accounts"].values() for a in ids}
        search_index_update(entity="crm.account", ids=sorted(accounts))
    return merge


def _conflicts(merge: Merge) -> list[str]:
    state, master_id = merge.state, merge.master_id
    master = Contact.objects.filter(pk=master_id).first()
    if master is None:
        return [f"The master contact “{merge.master_name}” ({master_id}) was deleted."]
    label = f"contact “{master}” ({master_id})"
    after = state["master_after"]
    problems = []
    if master.updated_at.isoformat() != after["updated_at"]:
        problems.append(f"The {label} was edited since the merge.")
    current = {
        "groups": sorted(master.groups.values_list("pk", flat=True)),
        "accounts": sorted(master.accounts.values_list("pk", flat=True)),
    }
    current |= {
        n: sorted(m.objects.filter(contact_id=master_id).values_list("pk", flat=True))
        for n, m in CHILDREN.items()
    }
    for name, value in current.items():
        expected = after["children"][name] if name in CHILDREN else after[name]
        if value != expected:
            problems.append(f"The {name} of the {label} changed since the merge.")
    groups = [(g["model"], g["field"], g["rows"]) for g in state["moved"]]
    groups.append(("platform.Activity", "target_id", state["activities"]))
    for model_label, attname, rows in groups:
        model = ms.model_of(model_label)
        if gone := ms.still_pointing(model, attname, rows, master_id):
            names = ", ".join(map(str, gone[:10]))
            problems.append(
                f"{model._meta.verbose_name_plural.capitalize()} {names} no longer belong to the {label}."
            )
    if Contact.objects.filter(pk__in=merge.merged_ids).exists():
        problems.append("A contact with the id of a merged contact exists.")
    wanted_groups = {g for ids in state["groups"].values() for g in ids}
    wanted_accounts = {a for ids in state["accounts"].values() for a in ids}
    from accord.crm.models import ContactGroup

    if len(wanted_groups) != ContactGroup.objects.filter(pk__in=wanted_groups).count():
        problems.append("A contact group of the merged contacts was deleted since the merge.")
    if len(wanted_accounts) != Account.objects.filter(pk__in=wanted_accounts).count():
        problems.append("An account of the merged contacts was deleted since the merge.")
    return problems


def _restore(merge: Merge) -> None:
    state, master_id = merge.state, merge.master_id
    rows = {int(pk): ms.load(Contact, row) for pk, row in state["contacts"].items()}
    master_row = rows.pop(master_id)
    Contact.objects.filter(pk=master_id).update(**{k: v for k, v in master_row.items() if k != "id"})
    for row in rows.values():
        Contact.objects.bulk_create([Contact(**{**row, "reports_to_id": None})])
        Contact.objects.filter(pk=row["id"]).update(**{k: v for k, v in row.items() if k != "id"})
    for name, model in CHILDREN.items():
        model.objects.filter(contact_id=master_id).delete()
        ms.insert_exact(model, state["children"][name])
    links: tuple[tuple[Any, str, str], ...] = (
        (GROUPS, "contactgroup_id", "groups"),
        (ACCOUNTS, "account_id", "accounts"),
    )
    for through, column, key in links:
        through.objects.filter(contact_id=master_id).delete()
        through.objects.bulk_create(
            through(contact_id=int(pk), **{column: value})
            for pk, values in state[key].items()
            for value in values
        )
    for group in state["moved"]:
        ms.move_back(ms.model_of(group["model"]), group["field"], group["rows"])
    ms.move_back(Activity, "target_id", state["activities"])
