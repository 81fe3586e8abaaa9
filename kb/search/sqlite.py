"""SQLite: an FTS5 table (``porter unicode61``: English stemming, Unicode words) over the analysed text,
ranked with bm25 and column weights (title, summary, tags, body)."""

from django.db import connection

BM25 = "bm25(kb_search_fts, 10.0, 4.0, 2.0, 1.0)"
PREFIX_CAP = 1000


def write(document_id, document):
    delete([document_id])
    write_many([(document_id, document)])


def write_many(rows):
    """Add many (document id, Document) pairs whose ids are not in the FTS table yet."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO kb_search_fts (rowid, title, summary, tags, body) VALUES (%s, %s, %s, %s, %s)",
            [
                [document_id, *(document.fields[name] for name in ("title", "summary", "tags", "body"))]
                for document_id, document in rows
            ],
        )


def delete(document_ids):
    if not document_ids:
        return
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(document_ids))
        cursor.execute(f"DELETE FROM kb_search_fts WHERE rowid IN ({marks})", list(document_ids))


def clear():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kb_search_fts")


def _quoted(token):
    return '"' + token.replace('"', '""') + '"'


def _alternative(alternative):
    if alternative.kind == "prefix":
        return _quoted(alternative.tokens[0]) + " *"
    return _quoted(" ".join(alternative.tokens))


def match_expression(query):
    """FTS5 query syntax built from analysed tokens only, so nothing the user typed is read as syntax."""
    groups = []
    for term in query.terms:
        alternatives = [_alternative(alt) for alt in term.alternatives]
        groups.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


def _source(query):
    """The FROM clause and its MATCH condition; a one-character prefix query is capped."""
    expression = match_expression(query)
    if query.prefix_only:
        source = (
            f"(SELECT rowid FROM kb_search_fts WHERE kb_search_fts MATCH %s LIMIT {PREFIX_CAP}) f"
            " JOIN kb_searchdocument d ON d.id = f.rowid"
        )
        return source, [expression], "1", []
    return "kb_search_fts f JOIN kb_searchdocument d ON d.id = f.rowid", [], "kb_search_fts MATCH %s", [expression]


def facets(query, *, now):
    source, source_params, match, match_params = _source(query)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.kind, d.topic_id, count(*) FROM {source} WHERE {match} AND d.published_at <= %s"
            " GROUP BY d.kind, d.topic_id",
            [*source_params, *match_params, connection.ops.adapt_datetimefield_value(now)],
        )
        return {(row[0], row[1]): row[2] for row in cursor.fetchall()}


def hits(query, *, topic_id, kind, now, limit, offset, phrase):
    source, source_params, match, match_params = _source(query)
    where, params = ["d.published_at <= %s"], [connection.ops.adapt_datetimefield_value(now)]
    if topic_id:
        where.append("d.topic_id = %s")
        params.append(topic_id)
    if kind:
        where.append("d.kind = %s")
        params.append(kind)
    rank = "0" if query.prefix_only else BM25
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT d.id, d.kind, d.object_id,
                   {rank}
                   - CASE WHEN %s <> '' AND instr(d.title_terms, %s) > 0 THEN 10.0 ELSE 0 END
                   - CASE WHEN %s <> '' AND instr(d.summary_terms, %s) > 0 THEN 3.0 ELSE 0 END AS score
            FROM {source}
            WHERE {match} AND {" AND ".join(where)}
            ORDER BY score, d.published_at DESC, d.id DESC
            LIMIT %s OFFSET %s
            """,
            [phrase, phrase, phrase, phrase, *source_params, *match_params, *params, limit, offset],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
