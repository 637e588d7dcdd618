"""The full-text structure beside platform_searchentry, per database.

SQLite: an external-content FTS5 table kept in step by triggers.
PostgreSQL: a GIN index on the 'simple' tsvector of title and text.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS platform_search_fts USING fts5(
        title, text, content='platform_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER IF NOT EXISTS platform_search_ai AFTER INSERT ON platform_searchentry BEGIN
        INSERT INTO platform_search_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS platform_search_ad AFTER DELETE ON platform_searchentry BEGIN
        INSERT INTO platform_search_fts(platform_search_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS platform_search_au AFTER UPDATE ON platform_searchentry BEGIN
        INSERT INTO platform_search_fts(platform_search_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO platform_search_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS platform_search_au",
    "DROP TRIGGER IF EXISTS platform_search_ad",
    "DROP TRIGGER IF EXISTS platform_search_ai",
    "DROP TABLE IF EXISTS platform_search_fts",
]
PG_UP = [
    """CREATE INDEX IF NOT EXISTS platform_search_tsv ON platform_searchentry
       USING gin (to_tsvector('simple'::regconfig, title || ' ' || text))""",
]
PG_DOWN = ["DROP INDEX IF EXISTS platform_search_tsv"]


def forwards(apps, schema_editor):
    statements = SQLITE_UP if schema_editor.connection.vendor == "sqlite" else PG_UP
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = SQLITE_DOWN if schema_editor.connection.vendor == "sqlite" else PG_DOWN
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("platform", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
