"""The database's own full-text index over kb_searchdocument (see kb/search/).

PostgreSQL: ``search_vector`` (every field) finds the matches; ``title_vector``, ``summary_vector`` and
``tags_vector`` say where a page matched (which decides its tier) and the title vector ranks title matches.
All four have GIN indexes. SQLite: an FTS5 table over the analysed text, its rowid the document's id.
"""

from django.db import migrations

POSTGRES_FORWARD = """
ALTER TABLE kb_searchdocument ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE kb_searchdocument ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE kb_searchdocument ADD COLUMN summary_vector tsvector NOT NULL DEFAULT ''::tsvector;
ALTER TABLE kb_searchdocument ADD COLUMN tags_vector tsvector NOT NULL DEFAULT ''::tsvector;
CREATE INDEX kb_searchdocument_search_gin ON kb_searchdocument USING gin (search_vector);
CREATE INDEX kb_searchdocument_title_gin ON kb_searchdocument USING gin (title_vector);
CREATE INDEX kb_searchdocument_summary_gin ON kb_searchdocument USING gin (summary_vector);
CREATE INDEX kb_searchdocument_tags_gin ON kb_searchdocument USING gin (tags_vector);
"""
POSTGRES_BACKWARD = """
ALTER TABLE kb_searchdocument DROP COLUMN search_vector;
ALTER TABLE kb_searchdocument DROP COLUMN title_vector;
ALTER TABLE kb_searchdocument DROP COLUMN summary_vector;
ALTER TABLE kb_searchdocument DROP COLUMN tags_vector;
"""
SQLITE_FORWARD = """
CREATE VIRTUAL TABLE kb_search_fts USING fts5(
    title, summary, tags, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
"""
SQLITE_BACKWARD = "DROP TABLE kb_search_fts;"


def _run(schema_editor, scripts):
    script = scripts.get(schema_editor.connection.vendor, "")
    for statement in filter(None, (part.strip() for part in script.split(";"))):
        schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD})


class Migration(migrations.Migration):
    dependencies = [("kb", "0003_glossary_and_search_documents")]

    operations = [migrations.RunPython(forward, backward)]
