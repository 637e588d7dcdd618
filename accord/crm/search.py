"""Search documents of accounts, contacts and contact groups (fed to the platform's search index).

oro-spec §2.12: an account is found by its name and by its contacts' names, emails and phones.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from accord.crm.models import Account, Contact, ContactEmail, ContactGroup, ContactPhone

CHUNK = 500
_SEPARATORS = re.compile(r"[\W_]+")
_OWNED = ("owner_id", "business_unit_id", "organization_id")
_NAME = ("name_prefix", "first_name", "middle_name", "last_name", "name_suffix")


def _chunks(model: Any, ids: list[int] | None) -> Iterator[list[int]]:
    if ids is not None:
        for start in range(0, len(ids), CHUNK):
            yield ids[start : start + CHUNK]
        return
    last = 0
    while True:
        batch = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not batch:
            return
        yield batch
        last = batch[-1]


def _contact_words(contact_ids: list[int]) -> dict[int, list[str]]:
    """Names, emails and phones of the contacts, three queries for the whole batch."""
    words: dict[int, list[str]] = defaultdict(list)
    for pk, *parts in Contact.objects.filter(pk__in=contact_ids).values_list("pk", *_NAME):
        words[pk].extend(p for p in parts if p)
    for pk, email in ContactEmail.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "email"
    ):
        # The parts as words too: PostgreSQL's parser reads an email address as one token.
        words[pk].extend((email, _SEPARATORS.sub(" ", email)))
    for pk, phone in ContactPhone.objects.filter(contact_id__in=contact_ids).values_list(
        "contact_id", "phone"
    ):
        words[pk].extend((phone, "".join(ch for ch in phone if ch.isdigit())))
    return words


def account_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    links = Account.contacts.through.objects
    for batch in _chunks(Account, ids):
        rows = list(
            Account.objects.filter(pk__in=batch).values_list("pk", "name", "default_contact_id", *_OWNED)
        )
        members: dict[int, set[int]] = defaultdict(set)
        for account_id, contact_id in links.filter(account_id__in=batch).values_list(
            "account_id", "contact_id"
        ):
            members[account_id].add(contact_id)
        for pk, _name, default_id, *_ in rows:
            if default_id:
                members[pk].add(default_id)
        words = _contact_words(sorted({c for group in members.values() for c in group}))
        for pk, name, _default, *owned in rows:
            text = " ".join(w for c in sorted(members[pk]) for w in words.get(c, []))
            yield (pk, name, text, *owned)


def contact_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    extra = ("description", "job_title", "fax", "skype", "twitter", "facebook", "linkedin", "google_plus")
    for batch in _chunks(Contact, ids):
        words = _contact_words(batch)
        for pk, *values in Contact.objects.filter(pk__in=batch).values_list("pk", *_NAME, *extra, *_OWNED):
            names = [v for v in values[: len(_NAME)] if v]
            others = [v for v in values[len(_NAME) : len(_NAME) + len(extra)] if v]
            owned = values[len(_NAME) + len(extra) :]
            title = " ".join(names) or next(iter(words.get(pk, [])), f"Contact {pk}")
            yield (pk, title, " ".join([*words.get(pk, [])[len(names) :], *others]), *owned)


def contact_group_documents(ids: list[int] | None) -> Iterator[tuple[Any, ...]]:
    queryset = ContactGroup.objects.all() if ids is None else ContactGroup.objects.filter(pk__in=ids)
    for pk, label, *owned in queryset.order_by("pk").values_list("pk", "label", *_OWNED).iterator():
        yield (pk, label, "", *owned)
