"""Global search: an index that modules feed through their search providers, queried with
SQLite FTS5 or PostgreSQL full-text search, and filtered by the same ACL as everything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import OrderBy, RawSQL

from accord.platform import acl
from accord.platform.models import SearchEntry
from accord.platform.registries import entities, search_providers
from accord.platform.search_index import ENTRY_FIELDS, entries_write

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


def _terms(query: str) -> list[str]:
    return [term.lower() for term in _WORD.findall(query or "")][:MAX_TERMS]


# The id every match is ordered by its distance below: RUM computes the distance as a float8, so
# it stays exact only under 2**53 (9223372036854775807 put ids a few apart in the wrong order).
_RUM_TOP = 2**50
_rum_databases: dict[str, bool] = {}


def _rum_index() -> bool:
    """Whether migration 0006 could give this database the RUM index (the extension is optional)."""
    name = str(connection.settings_dict["NAME"])
    if name not in _rum_databases:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'platform_search_rum'")
            _rum_databases[name] = cursor.fetchone() is not None
    return _rum_databases[name]


@dataclass(frozen=True)
class MatchClause:
    """Extra tables, condition and parameters matching every term as a word prefix, and the order
    (newest entry first) that the full-text structure yields without sorting the matches."""

    tables: list[str]
    where: str
    params: list[str]
    order: str
    descending: bool

    def order_by(self) -> OrderBy:
        return OrderBy(RawSQL(self.order, ()), descending=self.descending)  # noqa: S611 - fixed SQL

    def order_sql(self) -> str:
        return f"{self.order} {'DESC' if self.descending else 'ASC'}"


def _match_clause(terms: list[str]) -> MatchClause:
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        where = "platform_searchentry.tsv @@ to_tsquery('simple'::regconfig, %s)"
        if _rum_index():
            # Distance below a constant over every id: the RUM index returns the matches newest
            # first from its postings and stops at the limit, without reading the table.
            distance = f"(platform_searchentry.id <=| {_RUM_TOP}::bigint)"
            return MatchClause([], where, [tsquery], distance, False)
        # `id + 0`: not the primary key's order, so PostgreSQL reads the matches from the GIN
        # index and keeps the newest; walking the key backwards and testing every entry took
        # 1.5 s when the matches were all old (a contact name among 100,000 newer orders).
        return MatchClause([], where, [tsquery], "(platform_searchentry.id + 0)", True)
    fts = " AND ".join(f'"{term}"*' for term in terms)
    return MatchClause(
        ["platform_search_fts"],
        "platform_search_fts.rowid = platform_searchentry.id AND platform_search_fts MATCH %s",
        [fts],
        "platform_search_fts.rowid",
        True,
    )


def search(user: Any, query: str, *, limit: int = 20, entity: str | None = None) -> list[SearchHit]:
    """Records matching every word of the query (as word prefixes) that the user may view, newest
    index entry first (decision 0062): the database stops after `limit` visible matches."""
    terms = _terms(query)
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
    match = _match_clause(terms)
    rows = (
        SearchEntry.objects.filter(visible)
        .extra(tables=match.tables, where=[match.where], params=match.params)  # noqa: S610 - fixed SQL; the query is a parameter
        .order_by(match.order_by())
        .values_list("entity", "object_id", "title", "text")[:limit]
    )
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
    """(Re)index the given records of an entity; records that no longer exist are dropped."""
    provider = search_providers.get(entity)
    id_list = [int(pk) for pk in ids]
    if not id_list:
        return 0
    rows = [_plain_entry(entity, row) for row in provider.documents(id_list)]
    entries_write(entity=entity, rows=rows, replace_ids=id_list)
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


_ENTRY_FIELDS = ENTRY_FIELDS


def _plain_entry(entity: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The values of `_ENTRY_FIELDS` for a provider's document row."""
    object_id, title, text, owner_id, unit_id, org_id = row
    return (entity, object_id, (title or "")[:255], text or "", owner_id, unit_id, org_id)


def _entry(entity: str, row: tuple[Any, ...]) -> SearchEntry:
    object_id, title, text, owner_id, unit_id, org_id = row
    return SearchEntry(
        entity=entity,
        object_id=object_id,
        title=(title or "")[:255],
        text=text or "",
        owner_id=owner_id,
        business_unit_id=unit_id,
        organization_id=org_id,
    )


def search_reindex(*, entity: str | None = None, progress: Any = None) -> int:
    """Rebuild the index of one entity or of all, in batches."""
    providers = [p for p in search_providers if entity is None or p.entity == entity]
    written = 0
    for provider in providers:
        with transaction.atomic():
            SearchEntry.objects.filter(entity=provider.entity).delete()
            batch: list[SearchEntry] = []
            for row in provider.documents(None):
                batch.append(_entry(provider.entity, row))
                if len(batch) >= BATCH:
                    SearchEntry.objects.bulk_create(batch)
                    written += len(batch)
                    batch = []
                    if progress:
                        progress(written)
            SearchEntry.objects.bulk_create(batch)
            written += len(batch)
    if progress:
        progress(written)
    return written
