from django.db import migrations, models

POSTGRES_FORWARD = [
    "ALTER TABLE search_document ADD COLUMN search_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE search_document ADD COLUMN title_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE search_document ADD COLUMN summary_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE search_document ADD COLUMN tags_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_search_gin ON search_document USING gin (search_vector)",
    "CREATE INDEX search_document_title_gin ON search_document USING gin (title_vector)",
    "CREATE INDEX search_document_summary_gin ON search_document USING gin (summary_vector)",
    "CREATE INDEX search_document_tags_gin ON search_document USING gin (tags_vector)",
    """
    CREATE FUNCTION search_word_pairs(vector tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        WITH words AS MATERIALIZED (
            SELECT lexeme, unnest(positions) AS position FROM unnest(vector)
            WHERE NOT (ascii(lexeme) BETWEEN 13312 AND 19903 OR ascii(lexeme) BETWEEN 19968 AND 40959
                       OR ascii(lexeme) BETWEEN 63744 AND 64255)
        )
        SELECT array_to_tsvector(coalesce(array_agg(first.lexeme || ' ' || second.lexeme), '{}'))
        FROM words first JOIN words second ON second.position = first.position + 1
    $$
    """,
    "ALTER TABLE search_document ADD COLUMN phrase_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "CREATE INDEX search_document_phrase_gin ON search_document USING gin (phrase_vector)",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, summary, tags, body, tokenize = 'porter unicode61 remove_diacritics 2'
    )""",
]


def forward(apps, schema_editor):
    scripts = {"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}
    for statement in scripts.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION search_word_pairs(tsvector)")
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE search_fts")


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Document",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("article", "Article"), ("course", "Course")], max_length=20)),
                ("object_id", models.PositiveBigIntegerField()),
                ("topic_id", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
                ("title_terms", models.TextField(blank=True)),
                ("summary_terms", models.TextField(blank=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "object_id"), name="one_search_document_per_page")
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
