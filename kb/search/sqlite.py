"""SQLite: an FTS5 table (``porter unicode61``: English stemming, Unicode words) over the analysed text,
ranked with bm25 and column weights (title, summary, tags, body)."""

from django.db import connection

BM25 = "bm25(kb_search_fts, 10.0, 4.0, 2.0, 1.0)"


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


def _filters(topic_id, kind, now):
    where, params = ["d.published_at <= %s"], [connection.ops.adapt_datetimefield_value(now)]
    if topic_id:
        where.append("d.topic_id = %s")
        params.append(topic_id)
    if kind:
        where.append("d.kind = %s")
        params.append(kind)
    return " AND ".join(where), params


def facets(query, *, now, cap, topic_id=None, kind=None):
    """Matches per (kind, topic), counting at most ``cap`` + 1 of them; returns (counts, capped)."""
    where, params = _filters(topic_id, kind, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT kind, topic_id, count(*) FROM (
                SELECT d.kind, d.topic_id FROM kb_search_fts f JOIN kb_searchdocument d ON d.id = f.rowid
                WHERE kb_search_fts MATCH %s AND {where} LIMIT %s
            ) GROUP BY kind, topic_id
            """,
            [match_expression(query), *params, cap + 1],
        )
        counts = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
    return counts, sum(counts.values()) > cap


def hits(query, *, topic_id, kind, now, limit, offset, phrase):
    """One page of (document id, kind, object id), best first.

    Pages matching in a title, summary, tag or topic come first, ranked by bm25 with column weights (plus a
    bonus when the words appear as a phrase). Pages matching only in the body come after them, newest
    first: their ids (the FTS rowids) are freshness keys, so FTS5 walks its rowids downwards and stops
    after one page instead of ranking every match.
    """
    expression = match_expression(query)
    in_headline = f"{{title summary tags}} : ({expression})"
    body_only = f"({expression}) NOT ({in_headline})"
    where, params = _filters(topic_id, kind, now)
    wanted = offset + limit
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT id, kind, object_id FROM (
                SELECT * FROM (
                    SELECT d.id, d.kind, d.object_id, 1 AS tier,
                           {BM25}
                           - CASE WHEN %s <> '' AND instr(d.title_terms, %s) > 0 THEN 10.0 ELSE 0 END
                           - CASE WHEN %s <> '' AND instr(d.summary_terms, %s) > 0 THEN 3.0 ELSE 0 END AS score
                    FROM kb_search_fts f JOIN kb_searchdocument d ON d.id = f.rowid
                    WHERE kb_search_fts MATCH %s AND {where}
                    ORDER BY score, d.id DESC LIMIT %s
                )
                UNION ALL
                SELECT * FROM (
                    SELECT d.id, d.kind, d.object_id, 0 AS tier, 0 AS score
                    FROM kb_search_fts f JOIN kb_searchdocument d ON d.id = f.rowid
                    WHERE kb_search_fts MATCH %s AND {where}
                    ORDER BY f.rowid DESC LIMIT %s
                )
            )
            ORDER BY tier DESC, score, id DESC
            LIMIT %s OFFSET %s
            """,
            [phrase, phrase, phrase, phrase, in_headline, *params, wanted, body_only, *params, wanted, limit, offset],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
