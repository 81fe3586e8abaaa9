"""PostgreSQL: a GIN index on the small rank vector too, to find title/summary/tag matches first."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE INDEX kb_searchdocument_rank_gin ON kb_searchdocument USING gin (rank_vector)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX kb_searchdocument_rank_gin")


class Migration(migrations.Migration):
    dependencies = [("kb", "0005_glossary_updated_at")]

    operations = [migrations.RunPython(forward, backward)]
