"""PostgreSQL: tsvector columns over the analysed text (``simple``) plus English stems (``english``).

``search_vector`` holds every field and is GIN-indexed to find matches; ``rank_vector`` holds only titles
(weight A), summaries (B) and tags and topic (C), so ranking never reads a whole body.
"""

from django.db import connection

from kb.search.analysis import is_cjk

RANK_WEIGHTS = "{0.1, 0.2, 0.5, 1.0}"  # D, C, B, A


def _lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


# Titles weigh A, summaries B, tags and topic C: the analysed text (simple) and English stems of each.
RANKED = " || ".join(
    f"setweight(to_tsvector('simple', %({field})s), '{weight}')"
    f" || setweight(to_tsvector('english', %({field}_en)s), '{weight}')"
    for field, weight in (("title", "A"), ("summary", "B"), ("tags", "C"))
)


UPDATE = f"""
    UPDATE kb_searchdocument SET
      rank_vector = {RANKED},
      search_vector = {RANKED} || to_tsvector('simple', %(body)s) || to_tsvector('english', %(body_en)s)
    WHERE id = %(id)s
"""


def _params(document_id, document):
    return {"id": document_id, **document.fields, **{f"{name}_en": text for name, text in document.english.items()}}


def write(document_id, document):
    write_many([(document_id, document)])


def write_many(rows):
    """Compute the vectors of many (document id, Document) pairs in one round of statements."""
    with connection.cursor() as cursor:
        cursor.executemany(UPDATE, [_params(document_id, document) for document_id, document in rows])


def delete(document_ids):
    """Nothing to do: the vectors live in the rows Django deletes."""


def clear():
    """Nothing to do, for the same reason."""


def _alternative_sql(alternative, params):
    if alternative.kind == "prefix":
        params.append(_lexeme(alternative.tokens[0]) + ":*")
        return "to_tsquery('simple', %s)"
    if alternative.kind == "word":
        params.extend([_lexeme(alternative.tokens[0]), alternative.tokens[0]])
        return "(to_tsquery('simple', %s) || plainto_tsquery('english', %s))"
    # A phrase: Chinese bigrams or several words, adjacent and in order.
    params.append(" <-> ".join(_lexeme(token) for token in alternative.tokens))
    sql = "to_tsquery('simple', %s)"
    if not any(is_cjk(token) for token in alternative.tokens):
        params.append(" ".join(alternative.tokens))
        sql = f"({sql} || phraseto_tsquery('english', %s))"
    return sql


def tsquery(query):
    """The query as SQL building a tsquery (terms AND-ed, each term's alternatives OR-ed), and its params."""
    params, groups = [], []
    for term in query.terms:
        groups.append("(" + " || ".join(_alternative_sql(alt, params) for alt in term.alternatives) + ")")
    return " && ".join(groups), params


def _filters(topic_id, kind, now):
    sql, params = ["d.published_at <= %s"], [now]
    if topic_id:
        sql.append("d.topic_id = %s")
        params.append(topic_id)
    if kind:
        sql.append("d.kind = %s")
        params.append(kind)
    return " AND ".join(sql), params


def facets(query, *, now, cap, topic_id=None, kind=None):
    """Matches per (kind, topic), counting at most ``cap`` + 1 of them; returns (counts, capped)."""
    q_sql, q_params = tsquery(query)
    where, params = _filters(topic_id, kind, now)
    limit = cap
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT {q_sql} AS q)
            SELECT kind, topic_id, count(*) FROM (
                SELECT d.kind, d.topic_id FROM kb_searchdocument d, q
                WHERE d.search_vector @@ q.q AND {where} LIMIT %s
            ) matches GROUP BY kind, topic_id
            """,
            [*q_params, *params, limit + 1],
        )
        counts = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
    return counts, sum(counts.values()) > limit


def hits(query, *, topic_id, kind, now, limit, offset, phrase):
    """One page of (document id, kind, object id), best first.

    Pages matching in a title, summary, tag or topic come first, ranked with ts_rank over the small
    ``rank_vector`` (plus a bonus when the words appear as a phrase). Pages matching only in the body come
    after them, newest first: their ids are freshness keys, so the database walks the primary key
    downwards and stops after one page instead of sorting every match.
    """
    q_sql, q_params = tsquery(query)
    where, params = _filters(topic_id, kind, now)
    wanted = offset + limit
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT {q_sql} AS q)
            (SELECT d.id, d.kind, d.object_id, 1 AS tier,
                    ts_rank('{RANK_WEIGHTS}', d.rank_vector, q.q)
                    + CASE WHEN %s <> '' AND strpos(d.title_terms, %s) > 0 THEN 1.0 ELSE 0 END
                    + CASE WHEN %s <> '' AND strpos(d.summary_terms, %s) > 0 THEN 0.3 ELSE 0 END AS score
             FROM kb_searchdocument d, q
             WHERE d.rank_vector @@ q.q AND {where}
             ORDER BY score DESC, d.id DESC LIMIT %s)
            UNION ALL
            (SELECT d.id, d.kind, d.object_id, 0 AS tier, 0 AS score
             FROM kb_searchdocument d, q
             WHERE d.search_vector @@ q.q AND NOT d.rank_vector @@ q.q AND {where}
             ORDER BY d.id DESC LIMIT %s)
            ORDER BY tier DESC, score DESC, id DESC
            LIMIT %s OFFSET %s
            """,
            [*q_params, phrase, phrase, phrase, phrase, *params, wanted, *params, wanted, limit, offset],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
