"""The search index: ``search_document`` (PostgreSQL's vectors and their GIN indexes are in it), and on SQLite
the FTS5 table ``search_fts`` over the same pages (its rowid is the document's id). Fill it with
``manage.py rebuild_search_index`` (an import of the content does it too)."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

FTS5 = """
CREATE VIRTUAL TABLE search_fts USING fts5(
    title, summary, tags, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
)
"""


class AddIndexOnPostgreSQL(migrations.AddIndex):
    """A GIN index: created on PostgreSQL; elsewhere it is only in the model's state (there is no vector)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(FTS5)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("kind", models.CharField(max_length=30)),
                ("object_id", models.PositiveBigIntegerField()),
                ("topic_id", models.BigIntegerField(null=True)),
                ("published_at", models.DateTimeField()),
                ("title_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("headline_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("search_vector", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="one_search_document_per_page")
                ],
            },
        ),
        AddIndexOnPostgreSQL(
            model_name="document",
            index=django.contrib.postgres.indexes.GinIndex(fields=["title_vector"], name="search_title_gin"),
        ),
        AddIndexOnPostgreSQL(
            model_name="document",
            index=django.contrib.postgres.indexes.GinIndex(fields=["headline_vector"], name="search_headline_gin"),
        ),
        AddIndexOnPostgreSQL(
            model_name="document",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="search_vector_gin"),
        ),
        migrations.RunPython(create_fts, drop_fts),
    ]
