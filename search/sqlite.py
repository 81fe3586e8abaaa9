"""SQLite: an FTS5 table (``porter unicode61``: English stemming, Unicode words) over the analysed text,
ranked with bm25 and column weights (title, summary, tags, body)."""

from django.db import connection

BM25 = "bm25(search_fts, 10.0, 4.0, 2.0, 1.0)"


def write(document_id, document):
    delete([document_id])
    write_many([(document_id, document)])


def insert_many(rows):
    """Add new documents: the rows through the ORM, their text to the FTS table."""
    from search.models import Document as SearchDocument

    SearchDocument.objects.bulk_create(
        SearchDocument(pk=document_id, kind=document.kind, object_id=document.object_id, **document.model_fields())
        for document_id, document in rows
    )
    write_many(rows)


def write_many(rows):
    """Add many (document id, Document) pairs whose ids are not in the FTS table yet."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, summary, tags, body) VALUES (%s, %s, %s, %s, %s)",
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
        cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", list(document_ids))


def clear():
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts")


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


def facets(query, *, now, cap, topic_id=None, kind=None, wanted=None):
    """Matches per (kind, topic), counting at most ``cap`` + 1 of them; returns (counts, capped). (``wanted``,
    the hits the caller will ask for, is for engines that can order matches while counting them.)"""
    where, params = _filters(topic_id, kind, now)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT kind, topic_id, count(*) FROM (
                SELECT d.kind, d.topic_id FROM search_fts f JOIN search_document d ON d.id = f.rowid
                WHERE search_fts MATCH %s AND {where} LIMIT %s
            ) GROUP BY kind, topic_id
            """,
            [match_expression(query), *params, cap + 1],
        )
        counts = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
    return counts, sum(counts.values()) > cap


# Where a page matched decides its tier; within the title tier bm25 ranks, below it the newest come first.
TIERS = (
    ("{title} : (%(q)s)", True),
    ("({summary tags} : (%(q)s)) NOT ({title} : (%(q)s))", False),
    ("(%(q)s) NOT ({title summary tags} : (%(q)s))", False),
)
# bm25 ranks at most this many title matches, the newest (or as many as the page asked for needs): a common
# word in 12,000 titles would otherwise cost a score for each of them on every search.
RANKED_WINDOW = 500


def hits(query, *, topic_id, kind, now, limit, offset):
    """One page of (document id, kind, object id), best first.

    Title matches come first, ranked by bm25 (plus a bonus when the words appear there as a phrase); then
    summary, tag and topic matches, and body-only matches, each newest first. Document ids (the FTS
    rowids) are freshness keys, so for those three tiers FTS5 walks its rowids downwards and stops after
    one page instead of ranking every match of a common word.
    """
    expression, phrase = match_expression(query), query.phrase
    where, params = _filters(topic_id, kind, now)
    wanted = offset + limit
    parts, values = [], []
    for tier, (pattern, ranked) in enumerate(TIERS):
        match = pattern % {"q": expression}
        if ranked:
            score = f"{BM25} - CASE WHEN %s <> '' AND instr(d.title_terms, %s) > 0 THEN 10.0 ELSE 0 END"
            # The window holds the newest title matches that pass the filters: older ones of a filtered topic
            # would otherwise fall outside it and, being title matches, into no other tier either.
            window = (
                "AND f.rowid >= (SELECT coalesce(min(id), 0) FROM (SELECT d.id FROM search_fts"
                f" JOIN search_document d ON d.id = search_fts.rowid WHERE search_fts MATCH %s AND {where}"
                f" ORDER BY search_fts.rowid DESC LIMIT {max(RANKED_WINDOW, wanted)}))"
            )
            order, extra = "score, d.id DESC", [phrase, phrase, match, match, *params]
        else:
            score, window, order, extra = "0", "", "f.rowid DESC", [match]
        parts.append(
            f"""
            SELECT * FROM (
                SELECT d.id, d.kind, d.object_id, {tier} AS tier, {score} AS score
                FROM search_fts f JOIN search_document d ON d.id = f.rowid
                WHERE search_fts MATCH %s {window} AND {where}
                ORDER BY {order} LIMIT %s
            )"""
        )
        values += [*extra, *params, wanted]
    tiers = " UNION ALL ".join(parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, object_id FROM ({tiers}) ORDER BY tier, score, id DESC LIMIT %s OFFSET %s",
            [*values, limit, offset],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
