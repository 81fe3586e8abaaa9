"""The search index moved to the search app (its own tables): drop kb's. ``manage.py rebuild_search_index``
(or an import of the content) fills the new index."""

from django.db import migrations


def drop_engine_tables(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS kb_search_fts")


def drop_pairs_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS kb_word_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("kb", "0017_content_version")]

    operations = [
        migrations.RunPython(drop_engine_tables, migrations.RunPython.noop),
        migrations.DeleteModel(name="SearchDocument"),
        migrations.RunPython(drop_pairs_function, migrations.RunPython.noop),
    ]
