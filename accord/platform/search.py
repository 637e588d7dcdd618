"""Global search: an index that modules feed through their search providers, queried with
SQLite FTS5 or PostgreSQL full-text search, and filtered by the same ACL as everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from accord.platform import acl
from accord.platform.models import SearchEntry
from accord.platform.registries import entities, search_providers
from accord.platform.search_index import entries_stored, entries_write
from accord.platform.search_match import match_clause, newest_rows

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
BATCH = 2000


@dataclass(frozen=True)
class SearchHit:
    entity: str
    entity_label: str
    object_id: int
    title: str
    text: str
    url: str | None


def terms_of(query: str) -> list[str]:
    return [term.lower() for term in _WORD.findall(query or "")][:MAX_TERMS]


def search(user: Any, query: str, *, limit: int = 20, entity: str | None = None) -> list[SearchHit]:
    """Records matching every word of the query (as word prefixes) that the user may view, newest
    index entry first (decision 0062): the database stops after `limit` visible matches."""
    terms = terms_of(query)
    if not terms:
        return []
    reach: dict[Q, list[str]] = {}  # entities grouped by the ACL filter they share: a short WHERE
    for provider in search_providers:
        if entity and provider.entity != entity:
            continue
        q = acl.q_for(
            user,
            provider.entity,
            "view",
            owner="owner_id",
            business_unit="business_unit_id",
            organization="organization_id",
        )
        if q is not None:
            reach.setdefault(q, []).append(provider.entity)
    if not reach:
        return []
    visible = Q()
    for q, keys in reach.items():
        visible |= Q(entity__in=keys) & q
    entries = SearchEntry.objects.filter(visible).values_list("entity", "object_id", "title", "text")
    rows = newest_rows(entries, match_clause(terms), limit)
    hits = []
    for entity_key, object_id, title, text in rows:
        definition = entities.get(entity_key)
        hits.append(
            SearchHit(
                entity=entity_key,
                entity_label=definition.label,
                object_id=object_id,
                title=title,
                text=text[:200],
                url=definition.view_url(object_id),
            )
        )
    return hits


def search_index_update(*, entity: str, ids: Iterable[Any]) -> int:
    """(Re)index the given records of an entity; records that no longer exist are dropped. An entry
    whose document did not change is left in place (decision 0062): a bulk change rewrites only
    the documents it changed, and the others keep their rank."""
    provider = search_providers.get(entity)
    id_list = [int(pk) for pk in ids]
    if not id_list:
        return 0
    rows = {row[0]: _plain_entry(entity, row) for row in provider.documents(id_list)}
    stored = entries_stored(entity=entity, ids=id_list)
    entries_write(
        entity=entity,
        rows=[row for pk, row in rows.items() if stored.get(pk) != row[2:]],
        replace_ids=[pk for pk, values in stored.items() if pk not in rows or rows[pk][2:] != values],
    )
    return len(rows)


def search_index_add(*, entity: str, ids: Iterable[Any]) -> int:
    """Index records just created (no entry can exist for them yet): one read and one insert."""
    provider = search_providers.get(entity)
    id_list = [int(pk) for pk in ids]
    if not id_list:
        return 0
    rows = [_plain_entry(entity, row) for row in provider.documents(id_list)]
    entries_write(entity=entity, rows=rows)
    return len(rows)


def search_index_remove(*, entity: str, ids: Iterable[Any]) -> None:
    SearchEntry.objects.filter(entity=entity, object_id__in=[int(pk) for pk in ids]).delete()


def _plain_entry(entity: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The values of `ENTRY_FIELDS` for a provider's document row."""
    object_id, title, text, owner_id, unit_id, org_id = row
    return (entity, object_id, (title or "")[:255], text or "", owner_id, unit_id, org_id)


def search_reindex(*, entity: str | None = None, progress: Any = None) -> int:
    """Rebuild the index of one entity or of all, in batches."""
    providers = [p for p in search_providers if entity is None or p.entity == entity]
    written = 0
    for provider in providers:
        with transaction.atomic():
            SearchEntry.objects.filter(entity=provider.entity).delete()
            batch: list[tuple[Any, ...]] = []
            for row in provider.documents(None):
                batch.append(_plain_entry(provider.entity, row))
                if len(batch) >= BATCH:
                    entries_write(entity=provider.entity, rows=batch)  # COPY, or SQLite's bulk feed
                    written += len(batch)
                    batch = []
                    if progress:
                        progress(written)
            entries_write(entity=provider.entity, rows=batch)
            written += len(batch)
    if progress:
        progress(written)
    return written
