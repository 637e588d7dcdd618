"""PostgreSQL: a stored tsvector column, and an index that yields matches newest first (decision 0074).

With the GIN index of 0002 a search fetches every matching row from the table to keep the 20 newest
(~7 µs per match: 40 ms for a common name fragment at scale 1, 200 ms at scale 10). The RUM access
method (extension `rum`, Debian package postgresql-15-rum) stores the entry id beside each posting and
returns the matches in id order from the index itself (~0.4 µs per match, no table reads). Where the
extension is not installed, or may not be created, the tsvector column gets a plain GIN index and
search keeps its GIN query. SQLite: nothing to do.
"""

from django.db import migrations

from accord.platform.trigram import extension_created

COLUMN = (
    "ALTER TABLE platform_searchentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple'::regconfig, title || ' ' || text)) STORED"
)
RUM_INDEX = (
    "CREATE INDEX platform_search_rum ON platform_searchentry "
    "USING rum (tsv rum_tsvector_addon_ops, id) WITH (attach = 'id', to = 'tsv')"
)
GIN_INDEX = "CREATE INDEX platform_search_gin ON platform_searchentry USING gin (tsv)"
OLD_INDEX = (
    "CREATE INDEX IF NOT EXISTS platform_search_tsv ON platform_searchentry "
    "USING gin (to_tsvector('simple'::regconfig, title || ' ' || text))"
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS platform_search_tsv")
    schema_editor.execute(COLUMN)
    schema_editor.execute(RUM_INDEX if extension_created(schema_editor, "rum") else GIN_INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS platform_search_rum")
    schema_editor.execute("DROP INDEX IF EXISTS platform_search_gin")
    schema_editor.execute("ALTER TABLE platform_searchentry DROP COLUMN IF EXISTS tsv")
    schema_editor.execute(OLD_INDEX)


class Migration(migrations.Migration):
    dependencies = [("platform", "0005_search_prefix_lengths")]
    operations = [migrations.RunPython(forwards, backwards)]
