"""Global search: indexing through providers, word-prefix matching, ACL filtering, API and console.

Runs on the database under test: SQLite FTS5, or PostgreSQL full-text search.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord.platform import search_match
from accord.platform.models import AccessLevel, Activity, BusinessUnit, SearchEntry, User
from accord.platform.registries import SearchProvider, search_providers
from accord.platform.search import (
    search,
    search_index_remove,
    search_index_update,
    search_reindex,
)

ENTITY = "platform.activity"


def _documents(ids):
    rows = Activity.objects.order_by("id")
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    for a in rows:
        yield (a.pk, a.subject, a.body, a.owner_id, a.business_unit_id, a.organization_id)


@pytest.fixture
def provider():
    with search_providers.temporarily(ENTITY, SearchProvider(ENTITY, "Activities", _documents)) as item:
        yield item


def _note(owner: User, unit: BusinessUnit, subject: str, body: str = "") -> Activity:
    return Activity.objects.create(
        kind="note",
        subject=subject,
        body=body,
        target_entity="platform.user",
        target_id=owner.pk,
        happened_at=timezone.now(),
        owner=owner,
        business_unit=unit,
        organization_id=unit.organization_id,
    )


@pytest.fixture
def notes(tree, make_user, provider):
    """Four notes about Zephyr, one per owner: me, a colleague (same unit), another unit, another org."""
    me = make_user("me", unit=tree.sales)
    colleague = make_user("colleague", unit=tree.sales)
    far = make_user("far", unit=tree.commerce)
    stranger = make_user("stranger", unit=tree.other_main)
    rows = {
        "mine": _note(me, tree.sales, "Zephyr renewal", "Call Bartholomew about the contract"),
        "colleague": _note(colleague, tree.sales, "Zephyr pricing", "Discount for Zephyrine Ltd"),
        "far": _note(far, tree.commerce, "Zephyr logistics"),
        "other_org": _note(stranger, tree.other_main, "Zephyr elsewhere"),
    }
    search_reindex(entity=ENTITY)
    return rows


def _as(user: User, level: int) -> User:
    from accord.platform.models import Role, RolePermission

    role = Role.objects.create(name=f"search-{user.pk}-{level}", label="Search")
    RolePermission.objects.create(role=role, entity=ENTITY, action="view", level=level)
    user.roles.add(role)
    return User.objects.get(pk=user.pk)


def _titles(hits) -> list[str]:
    return sorted(hit.title for hit in hits)


def test_reindex_writes_one_entry_per_record_with_its_ownership(tree, notes) -> None:
    entries = SearchEntry.objects.filter(entity=ENTITY)

    assert entries.count() == 4
    mine = entries.get(object_id=notes["mine"].pk)
    assert (mine.title, mine.owner_id, mine.business_unit_id, mine.organization_id) == (
        "Zephyr renewal",
        notes["mine"].owner_id,
        tree.sales.pk,
        tree.org.pk,
    )


def test_words_match_as_prefixes_in_title_and_text(tree, admin, notes) -> None:
    assert _titles(search(admin, "zeph")) == ["Zephyr logistics", "Zephyr pricing", "Zephyr renewal"]
    assert _titles(search(admin, "barth")) == ["Zephyr renewal"]
    assert _titles(search(admin, "ZEPHYRINE")) == ["Zephyr pricing"]
    assert _titles(search(admin, "zephyr pric")) == ["Zephyr pricing"]  # every word must match
    assert search(admin, "zephyr nothing") == []
    assert search(admin, "ephyr") == []  # prefixes, not substrings


def test_punctuation_and_operators_in_the_query_are_just_words(tree, admin, notes) -> None:
    assert _titles(search(admin, 'zeph* "renew" (')) == ["Zephyr renewal"]
    assert search(admin, "renewal OR pricing") == []  # OR is a word to match, not an operator
    assert search(admin, "  ***  ") == []
    assert search(admin, "") == []


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (AccessLevel.NONE, []),
        (AccessLevel.USER, ["Zephyr renewal"]),
        (AccessLevel.BUSINESS_UNIT, ["Zephyr pricing", "Zephyr renewal"]),
        (AccessLevel.ORGANIZATION, ["Zephyr logistics", "Zephyr pricing", "Zephyr renewal"]),
    ],
    ids=["none", "user", "business_unit", "organization"],
)
def test_a_user_finds_only_what_its_view_grant_covers(tree, notes, level, expected) -> None:
    me = _as(User.objects.get(username="me"), level)

    assert _titles(search(me, "zephyr")) == expected


def test_an_administrator_never_finds_another_organizations_records(tree, make_user, notes) -> None:
    outsider = make_user("outsider", unit=tree.other_main, roles=["administrator"])

    assert _titles(search(outsider, "zephyr")) == ["Zephyr elsewhere"]


def test_index_update_and_remove_keep_the_index_current(tree, admin, notes) -> None:
    note = notes["mine"]
    Activity.objects.filter(pk=note.pk).update(subject="Aurora renewal")

    search_index_update(entity=ENTITY, ids=[note.pk])
    renamed = _titles(search(admin, "aurora"))
    search_index_remove(entity=ENTITY, ids=[note.pk])

    assert renamed == ["Aurora renewal"]
    assert search(admin, "aurora") == []
    assert "Zephyr renewal" not in _titles(search(admin, "zephyr"))


def test_index_update_drops_records_that_no_longer_exist(tree, admin, notes) -> None:
    gone = notes["far"].pk
    Activity.objects.filter(pk=gone).delete()

    written = search_index_update(entity=ENTITY, ids=[gone])

    assert written == 0
    assert not SearchEntry.objects.filter(entity=ENTITY, object_id=gone).exists()


def test_hits_come_newest_index_entry_first(tree, admin, notes) -> None:
    before = [hit.title for hit in search(admin, "zephyr")]
    Activity.objects.filter(pk=notes["mine"].pk).update(body="signed")
    search_index_update(entity=ENTITY, ids=[notes["mine"].pk])  # its document changed: now the newest

    after = [hit.title for hit in search(admin, "zephyr")]

    assert before == ["Zephyr logistics", "Zephyr pricing", "Zephyr renewal"]
    assert after == ["Zephyr renewal", "Zephyr logistics", "Zephyr pricing"]
    assert [hit.title for hit in search(admin, "zephyr", limit=2)] == after[:2]


def test_an_unchanged_document_keeps_its_entry_and_its_place(tree, admin, notes) -> None:
    entries = dict(SearchEntry.objects.filter(entity=ENTITY).values_list("object_id", "id"))
    before = [hit.title for hit in search(admin, "zephyr")]
    Activity.objects.filter(pk=notes["mine"].pk).update(kind="call")  # not in its document

    written = search_index_update(entity=ENTITY, ids=list(entries))

    assert written == len(entries)
    assert dict(SearchEntry.objects.filter(entity=ENTITY).values_list("object_id", "id")) == entries
    assert [hit.title for hit in search(admin, "zephyr")] == before


def test_the_window_is_walked_by_key_not_through_the_full_text_index(tree, admin, notes, monkeypatch) -> None:
    """PostgreSQL: the window's test is written so that no index serves it (`ts_match_vq`, the
    function behind `@@`). With `@@` the planner intersected the window's keys with every posting of
    the prefix in the RUM index (10 ms for a common name at scale 10, where walking 2,000 entries
    takes under 1 ms). SQLite has no window: its full-text table drives one query."""
    monkeypatch.setattr(search_match, "WINDOW", 1)
    with CaptureQueriesContext(connection) as queries:
        assert search(admin, "zeph")
    if connection.vendor == "sqlite":
        assert sum(q["sql"].count("platform_search_fts MATCH") for q in queries) == 1
        return
    walks = [q["sql"] for q in queries if 'ORDER BY "platform_searchentry"."id" DESC' in q["sql"]]
    assert len(walks) == 1
    assert "@@" not in walks[0]
    assert "ts_match_vq(platform_searchentry.tsv" in walks[0]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # any index rather than the table
        cursor.execute(f"EXPLAIN {walks[0]}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "platform_search_rum" not in plan
    assert "platform_search_gin" not in plan


@pytest.mark.parametrize("window", [1, 2, 3, 10_000])
def test_the_newest_window_then_the_index_keep_one_order(tree, admin, notes, monkeypatch, window) -> None:
    """PostgreSQL walks the newest `WINDOW` entries first: hits found there and after it interleave
    into the one newest-first order, wherever the window ends."""
    monkeypatch.setattr(search_match, "WINDOW", window)
    Activity.objects.filter(pk=notes["mine"].pk).update(body="signed")
    search_index_update(entity=ENTITY, ids=[notes["mine"].pk])
    expected = ["Zephyr renewal", "Zephyr logistics", "Zephyr pricing"]

    assert [hit.title for hit in search(admin, "zeph")] == expected
    assert [hit.title for hit in search(admin, "zeph", limit=2)] == expected[:2]
    assert [hit.title for hit in search(admin, "zephyr pri")] == ["Zephyr pricing"]
    assert [hit.title for hit in search(admin, "discount zephyrine")] == ["Zephyr pricing"]


def test_the_limit_counts_only_visible_hits(tree, notes) -> None:
    me = _as(User.objects.get(username="me"), AccessLevel.USER)  # three newer notes are not mine

    hits = search(me, "zephyr", limit=1)

    assert [hit.object_id for hit in hits] == [notes["mine"].pk]


@pytest.mark.parametrize("fragment", ["ze", "zep", "zeph", "zephy", "zephyr", "zephyri", "zephyrine"])
def test_every_prefix_length_matches_word_starts(tree, admin, notes, fragment) -> None:
    expected = (
        ["Zephyr pricing"] if len(fragment) > 6 else ["Zephyr logistics", "Zephyr pricing", "Zephyr renewal"]
    )

    assert _titles(search(admin, fragment)) == expected
    assert search(admin, fragment[1:]) == []  # still not substrings


def test_a_search_is_two_queries_whatever_the_hits(tree, admin, notes, django_assert_max_num_queries) -> None:
    # the user's grants, then the hits (PostgreSQL: the window's floor, its hits, the older hits)
    with django_assert_max_num_queries(4 if connection.vendor == "postgresql" else 2):
        hits = search(admin, "zephyr")

    assert len(hits) == 3


def test_the_database_stops_at_the_limit_instead_of_sorting_every_match(
    tree, admin, notes, monkeypatch
) -> None:
    monkeypatch.setattr(search_match, "WINDOW", 1)  # PostgreSQL: the last query is the full-text one
    with CaptureQueriesContext(connection) as queries:
        search(admin, "zephyr")
    sql = queries.captured_queries[-1]["sql"]

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'platform_search_fts'")
            assert "prefix='2 3 4 5 6'" in cursor.fetchone()[0]
            assert "VIRTUAL TABLE" in plan.split(" / ")[0]  # the full-text index drives the query
        else:
            # A few test rows need no index, and the planner would sort them: forbid both, so the
            # plan shows whether the index can yield the order by itself.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " / ".join(row[0] for row in cursor.fetchall())
            if search_match.rum_index():  # the index yields the newest matches: no sort at all
                assert "Index Scan using platform_search_rum" in plan
                assert "Sort" not in plan
    assert "platform_search" in plan
    assert "TEMP B-TREE" not in plan  # SQLite: no sort of all the matches


def test_the_limit_and_entity_filter_apply(tree, admin, notes) -> None:
    assert len(search(admin, "zephyr", limit=2)) == 2
    assert search(admin, "zephyr", entity="platform.user") == []


def test_the_api_answers_hits_with_count(tree, admin, api_as, notes) -> None:
    response = api_as(admin).get("search", q="zephyr pri")

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    hit = body["items"][0]
    assert hit["id"] == notes["colleague"].pk
    assert (hit["entity"], hit["entity_label"], hit["title"]) == (ENTITY, "Activity", "Zephyr pricing")


def test_the_api_filters_by_acl_and_validates_the_limit(tree, make_user, api_as, notes) -> None:
    rep = make_user("rep", unit=tree.commerce, roles=["sales_rep"])  # views its business unit's activities
    client = api_as(rep)

    found = client.get("search", q="zephyr").json()
    bad_limit = client.get("search", q="zephyr", limit=0)
    missing_q = client.get("search")

    assert [h["title"] for h in found["items"]] == ["Zephyr logistics"]
    assert bad_limit.status_code == 422
    assert bad_limit.json()["errors"][0]["field"] == "query.limit"
    assert missing_q.status_code == 422
    assert missing_q.json()["errors"][0]["field"] == "query.q"


def test_the_console_search_page_shows_hits(tree, admin, console_as, notes) -> None:
    client = console_as(admin)

    page = client.get("/console/search/", {"q": "bartholomew"})
    partial = client.get("/console/search/", {"q": "logist"}, headers={"HX-Request": "true"})

    assert page.status_code == 200
    assert "Zephyr renewal" in page.content.decode()
    assert "Zephyr logistics" not in page.content.decode()
    assert partial.status_code == 200
    assert b"<html" not in partial.content
    assert b"Zephyr logistics" in partial.content


def test_the_console_search_page_hides_what_the_user_may_not_see(tree, make_user, console_as, notes) -> None:
    rep = make_user("rep", unit=tree.commerce, roles=["sales_rep"])

    content = console_as(rep).get("/console/search/", {"q": "zephyr"}).content.decode()

    assert "Zephyr logistics" in content
    assert "Zephyr renewal" not in content
    assert "Zephyr elsewhere" not in content


def test_the_full_text_structure_of_the_database_is_used(tree, admin, notes) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM platform_search_fts WHERE platform_search_fts MATCH 'zeph*'")
            assert cursor.fetchone()[0] == 4
    else:
        assert connection.vendor == "postgresql"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM platform_searchentry "
                "WHERE tsv @@ to_tsquery('simple'::regconfig, 'zeph:*')"
            )
            assert cursor.fetchone()[0] == 4
            cursor.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'rum'")
            assert search_match.rum_index() == bool(
                cursor.fetchone()[0]
            )  # migration 0006 used it where it can


@pytest.fixture
def gin_fallback(db):
    """PostgreSQL without the RUM extension: migration 0006's GIN index instead (rolled back after)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS platform_search_rum")
            cursor.execute("CREATE INDEX platform_search_gin ON platform_searchentry USING gin (tsv)")
        search_match._rum_databases[str(connection.settings_dict["NAME"])] = False
    yield
    search_match._rum_databases.clear()


def test_without_the_rum_extension_search_answers_the_same(gin_fallback, tree, admin, notes) -> None:
    Activity.objects.filter(pk=notes["mine"].pk).update(body="signed")
    search_index_update(entity=ENTITY, ids=[notes["mine"].pk])

    hits = search(admin, "zeph")

    assert [hit.title for hit in hits] == ["Zephyr renewal", "Zephyr logistics", "Zephyr pricing"]
    assert [hit.title for hit in search(admin, "zephyr ren")] == ["Zephyr renewal"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'platform_search_rum'")
            assert cursor.fetchone()[0] == 0
