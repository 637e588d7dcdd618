"""How the database finds the newest entries matching a search (decisions 0062 and 0074).

SQLite: the FTS5 table drives the query in rowid order and stops at the limit. PostgreSQL: the
newest `WINDOW` entries are tested first by walking the primary key backwards (a word found in a
third of the index, "branch" in order titles, is answered after a few dozen rows); only when they
hold fewer than `limit` visible matches does the full-text index answer for the older entries: the
RUM index, which yields its matches newest first, or else GIN with a top-N sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import OrderBy, RawSQL

from accord.platform.models import SearchEntry

WINDOW = 2000  # newest ids walked first on PostgreSQL
# The id every match is ordered by its distance below: RUM computes the distance as a float8, so
# it stays exact only under 2**53 (9223372036854775807 put ids a few apart in the wrong order).
_RUM_TOP = 2**50
_rum_databases: dict[str, bool] = {}


def rum_index() -> bool:
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
    window_first: bool  # walk the newest WINDOW entries by primary key before the full-text index
    # The same test written so that no index can serve it, for the walk of the window: given
    # `where`, PostgreSQL intersected the window's keys with the RUM index's every match for the
    # prefix (10 ms for "nich" at scale 10) instead of testing 2,000 entries (under 1 ms).
    scan_where: str = ""

    def order_by(self) -> OrderBy:
        return OrderBy(RawSQL(self.order, ()), descending=self.descending)  # noqa: S611 - fixed SQL

    def order_sql(self) -> str:
        return f"{self.order} {'DESC' if self.descending else 'ASC'}"


def match_clause(terms: list[str]) -> MatchClause:
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{term}:*" for term in terms)
        where = "platform_searchentry.tsv @@ to_tsquery('simple'::regconfig, %s)"
        # `ts_match_vq` is the function behind `@@`: indexes serve operators, not function calls.
        scan = "ts_match_vq(platform_searchentry.tsv, to_tsquery('simple'::regconfig, %s))"
        if rum_index():
            # Distance below a constant over every id: the RUM index returns the matches newest
            # first from its postings and stops at the limit, without reading the table.
            distance = f"(platform_searchentry.id <=| {_RUM_TOP}::bigint)"
            return MatchClause([], where, [tsquery], distance, False, True, scan)
        # `id + 0`: not the primary key's order, so PostgreSQL reads the matches from the GIN
        # index and keeps the newest; walking the key backwards and testing every entry took
        # 1.5 s when the matches were all old (a contact name among 100,000 newer orders).
        return MatchClause([], where, [tsquery], "(platform_searchentry.id + 0)", True, True, scan)
    fts = " AND ".join(f'"{term}"*' for term in terms)
    return MatchClause(
        ["platform_search_fts"],
        "platform_search_fts.rowid = platform_searchentry.id AND platform_search_fts MATCH %s",
        [fts],
        "platform_search_fts.rowid",
        True,
        False,
    )


def window_floor() -> int | None:
    """The id below which the window ends (None: the index is no larger than the window). Counted in
    ids rather than entries: one lookup at the end of the primary key, however many rows were deleted."""
    newest = SearchEntry.objects.order_by("-id").values_list("id", flat=True).first()
    return None if newest is None or newest <= WINDOW else newest - WINDOW


def _matching(entries: QuerySet[Any, Any], match: MatchClause, where: str) -> QuerySet[Any, Any]:
    return entries.extra(tables=match.tables, where=[where], params=match.params)  # noqa: S610 - fixed SQL


def newest_rows(entries: QuerySet[Any, Any], match: MatchClause, limit: int) -> list[Any]:
    """The first `limit` rows of `entries` that `match` matches, newest entry first."""
    if not match.window_first:
        return list(_matching(entries, match, match.where).order_by(match.order_by())[:limit])
    walked = _matching(entries, match, match.scan_where or match.where).order_by("-id")
    floor = window_floor()
    if floor is None:
        return list(walked[:limit])
    rows = list(walked.filter(id__gt=floor)[:limit])
    if len(rows) == limit:
        return rows
    older = _matching(entries, match, match.where).filter(id__lte=floor).order_by(match.order_by())
    return rows + list(older[: limit - len(rows)])
