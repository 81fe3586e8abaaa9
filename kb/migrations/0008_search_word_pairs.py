"""PostgreSQL: ``phrase_vector``, the pairs of adjacent Latin words of a page, GIN-indexed (see kb/search/postgres.py).

GIN cannot see word positions: for the phrase "front side bus" it lists every page holding all three words,
tens of thousands in a large index, and the positions of each must then be checked. A pair such as
'front side' is found in the pages where the two words are neighbours, and nowhere else. The pairs are
taken from ``search_vector`` itself, by the positions its phrase queries read, so a page holding a phrase
always holds its pairs. Chinese needs none: its bigrams already are pairs of characters.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    # A lexeme whose first character is Chinese (a bigram or a single character) is left out: its run's
    # bigrams already are pairs. A query never asks for a pair holding a Chinese character
    # (kb.search.postgres._word_pairs), so it never asks for one left out here. ascii() gives the first
    # character's code point; the ranges are those of kb.search.analysis.CJK.
    """
    CREATE FUNCTION kb_word_pairs(vector tsvector) RETURNS tsvector
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
    "ALTER TABLE kb_searchdocument ADD COLUMN phrase_vector tsvector NOT NULL DEFAULT ''::tsvector",
    "UPDATE kb_searchdocument SET phrase_vector = kb_word_pairs(search_vector)",
    "CREATE INDEX kb_searchdocument_phrase_gin ON kb_searchdocument USING gin (phrase_vector)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE kb_searchdocument DROP COLUMN phrase_vector",
    "DROP FUNCTION kb_word_pairs(tsvector)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("kb", "0007_search_documents_without_date_index")]

    operations = [migrations.RunPython(forward, backward)]
