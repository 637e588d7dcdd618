"""SQLite: prefix indexes for 2 to 6 characters on the full-text table (decision 0062).

A prefix query of a length without its own index makes FTS5 merge the doclists of every word that
starts with it before it returns a row (~5 ms for "bran" on 330,000 entries, growing with the
index); with one, the doclist is read in rowid order and the search stops after its first visible
hits. The table is recreated and rebuilt from `platform_searchentry`; the triggers name it and stay.
PostgreSQL: nothing to do here (its index answers prefixes without such a setting; see 0006).
"""

from django.db import migrations

CREATE = """CREATE VIRTUAL TABLE platform_search_fts USING fts5(
    title, text, content='platform_searchentry', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='{prefix}')"""


def _recreate(schema_editor, prefix: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS platform_search_fts")
    schema_editor.execute(CREATE.format(prefix=prefix))
    schema_editor.execute("INSERT INTO platform_search_fts(platform_search_fts) VALUES ('rebuild')")


def forwards(apps, schema_editor):
    _recreate(schema_editor, "2 3 4 5 6")


def backwards(apps, schema_editor):
    _recreate(schema_editor, "2 3")


class Migration(migrations.Migration):
    dependencies = [("platform", "0004_search_bulk_pause")]
    operations = [migrations.RunPython(forwards, backwards)]
