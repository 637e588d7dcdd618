"""Bulk index writes (SQLite: triggers paused, full-text fed in one statement) find exactly what
row-by-row writes find, and leave the full-text index consistent with its content table; the
generator's deferred full-text index (PostgreSQL) comes back as it was."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accord.platform.models import Activity, SearchEntry, User
from accord.platform.registries import SearchProvider, search_providers
from accord.platform.search import search, search_index_add, search_index_update
from accord.platform.search_index import BULK, FULL_TEXT_INDEXES, full_text_index_deferred
from accord.platform.tests.test_search import _documents

ENTITY = "platform.activity"


@pytest.fixture
def many(tree: Any, admin: User) -> list[int]:
    """More notes than the bulk threshold, indexed through the bulk path."""
    with search_providers.temporarily(ENTITY, SearchProvider(ENTITY, "Activities", _documents)):
        now = timezone.now()
        notes = Activity.objects.bulk_create(
            Activity(
                kind="note",
                subject=f"Quasar q{n:04d}",
                body=f"Orbit number{n}",
                target_entity="platform.user",
                target_id=admin.pk,
                happened_at=now,
                owner=admin,
                business_unit=tree.main,
                organization_id=tree.org.pk,
            )
            for n in range(BULK + 50)
        )
        ids = [note.pk for note in notes]
        assert search_index_add(entity=ENTITY, ids=ids) == len(ids)
        yield ids


def _consistent() -> None:
    """SQLite's own check that the full-text index matches its content table; the pause is off."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO platform_search_fts(platform_search_fts) VALUES ('integrity-check')")
        cursor.execute("SELECT paused FROM platform_search_pause")
        assert cursor.fetchone()[0] == 0


def test_bulk_added_entries_are_found(admin: User, many: list[int]) -> None:
    _consistent()
    assert [h.title for h in search(admin, "quasar q0017")] == ["Quasar q0017"]
    assert len(search(admin, "orbit", limit=1000)) == len(many)


def test_bulk_replaced_entries_drop_their_old_words(admin: User, many: list[int]) -> None:
    Activity.objects.filter(pk__in=many).update(subject="Nebula")
    gone = many[:10]
    Activity.objects.filter(pk__in=gone).delete()

    written = search_index_update(entity=ENTITY, ids=many)

    _consistent()
    assert written == len(many) - 10
    assert search(admin, "quasar") == []
    assert len(search(admin, "nebula", limit=1000)) == len(many) - 10
    assert not SearchEntry.objects.filter(entity=ENTITY, object_id__in=gone).exists()


def test_a_failed_bulk_write_leaves_index_and_pause_as_they_were(admin: User, many: list[int]) -> None:
    Activity.objects.filter(pk__in=many).update(subject="Pulsar")

    def index_then_fail() -> None:
        with transaction.atomic():
            search_index_update(entity=ENTITY, ids=many)
            raise RuntimeError("the caller's write fails after indexing")

    with pytest.raises(RuntimeError):
        index_then_fail()

    _consistent()
    assert search(admin, "pulsar") == []
    assert len(search(admin, "quasar", limit=1000)) == len(many)


def _full_text_indexes() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s) ORDER BY 1",
            [list(FULL_TEXT_INDEXES)],
        )
        return cursor.fetchall()


@pytest.mark.parametrize("fails", [False, True])
def test_a_deferred_full_text_index_comes_back_as_it_was(admin: User, many: list[int], fails: bool) -> None:
    before = _full_text_indexes() if connection.vendor == "postgresql" else []
    assert len(before) == (1 if connection.vendor == "postgresql" else 0)

    with pytest.raises(RuntimeError) if fails else contextlib.nullcontext(), full_text_index_deferred():
        if before:
            assert _full_text_indexes() == []  # entries written meanwhile are not indexed one by one
        Activity.objects.filter(pk__in=many[:5]).update(subject="Magnetar")
        search_index_update(entity=ENTITY, ids=many[:5])
        if fails:
            raise RuntimeError("the generator fails halfway")

    if before:
        assert _full_text_indexes() == before  # the same definition, even after a failure
    assert len(search(admin, "magnetar")) == 5  # entries written meanwhile are in the rebuilt index


def test_a_full_reindex_writes_in_bulk_and_finds_the_same(admin: User, many: list[int]) -> None:
    """`search_reindex` writes its batches like the other bulk writers (COPY on PostgreSQL, the
    paused triggers and one full-text feed on SQLite)."""
    from accord.platform.search import search_reindex

    before = sorted(h.object_id for h in search(admin, "orbit", limit=1000))

    assert search_reindex(entity=ENTITY) == len(many)

    _consistent()
    assert sorted(h.object_id for h in search(admin, "orbit", limit=1000)) == before == sorted(many)
    assert [h.title for h in search(admin, "quasar q0017")] == ["Quasar q0017"]
