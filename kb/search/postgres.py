"""PostgreSQL: tsvector columns over the analysed text (``simple``) plus English stems (``english``).

``search_vector`` holds every field and is GIN-indexed to find matches. ``title_vector``, ``summary_vector``
and ``tags_vector`` (title, summary, tags and topic) tell where a page matched, which decides its tier; the
title vector, also GIN-indexed, ranks title matches with ts_rank, so ranking never reads a whole body.
"""

from django.db import connection

from kb.search.analysis import is_cjk


def _vector(field):
    """The analysed text (simple) and the English original's stems (english) of one field."""
    return f"to_tsvector('simple', %({field})s) || to_tsvector('english', %({field}_en)s)"


UPDATE = f"""
    UPDATE kb_searchdocument d SET
      title_vector = v.title, summary_vector = v.summary, tags_vector = v.tags,
      search_vector = setweight(v.title, 'A') || setweight(v.summary, 'B') || setweight(v.tags, 'C') || v.body
    FROM (SELECT {_vector("title")} AS title, {_vector("summary")} AS summary,
                 {_vector("tags")} AS tags, {_vector("body")} AS body) v
    WHERE d.id = %(id)s
"""
INSERT = f"""
    INSERT INTO kb_searchdocument
        (id, kind, object_id, topic_id, published_at, title_terms, summary_terms,
         title_vector, summary_vector, tags_vector, search_vector)
    SELECT %(id)s, %(kind)s, %(object_id)s, %(topic_id)s, %(published_at)s, %(title)s, %(summary)s,
           v.title, v.summary, v.tags,
           setweight(v.title, 'A') || setweight(v.summary, 'B') || setweight(v.tags, 'C') || v.body
    FROM (SELECT {_vector("title")} AS title, {_vector("summary")} AS summary,
                 {_vector("tags")} AS tags, {_vector("body")} AS body) v
"""
# ts_rank ranks at most this many title matches, the newest: a common word in 12,000 titles would otherwise
# cost a score for each of them on every search.
RANKED_WINDOW = 2000


def _lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _params(document_id, document):
    return {"id": document_id, **document.fields, **{f"{name}_en": text for name, text in document.english.items()}}


def write(document_id, document):
    write_many([(document_id, document)])


def write_many(rows):
    """Compute the vectors of many (document id, Document) pairs in one round of statements."""
    with connection.cursor() as cursor:
        cursor.executemany(UPDATE, [_params(document_id, document) for document_id, document in rows])


def insert_many(rows):
    """Add new documents with their vectors in one statement each (no insert-then-update)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            INSERT,
            [
                {
                    **_params(document_id, document),
                    "kind": document.kind,
                    "object_id": document.object_id,
                    "topic_id": document.topic_id,
                    "published_at": document.published_at,
                }
                for document_id, document in rows
            ],
        )


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

    Title matches come first, ranked with ts_rank (plus a bonus when the words appear there as a phrase);
    then summary, tag and topic matches, and body-only matches, each newest first. Document ids are
    freshness keys, so for those three tiers PostgreSQL can walk the primary key downwards and stop after
    one page instead of sorting every match of a common word.
    """
    q_sql, q_params = tsquery(query)
    where, params = _filters(topic_id, kind, now)
    wanted = offset + limit
    tiers = [
        "(d.summary_vector @@ q.q OR d.tags_vector @@ q.q) AND NOT d.title_vector @@ q.q",
        "d.search_vector @@ q.q AND NOT (d.title_vector @@ q.q OR d.summary_vector @@ q.q OR d.tags_vector @@ q.q)",
    ]
    newest = " UNION ALL ".join(
        f"""(SELECT d.id, d.kind, d.object_id, {tier} AS tier, 0::real AS score FROM kb_searchdocument d, q
             WHERE {condition} AND {where} ORDER BY d.id DESC LIMIT %s)"""
        for tier, condition in enumerate(tiers, start=1)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH q AS (SELECT {q_sql} AS q),
            recent AS (
                SELECT coalesce(min(id), 0) AS id FROM (
                    SELECT d.id FROM kb_searchdocument d, q WHERE d.title_vector @@ q.q
                    ORDER BY d.id DESC LIMIT {RANKED_WINDOW}
                ) window_ids
            )
            SELECT id, kind, object_id FROM (
                (SELECT d.id, d.kind, d.object_id, 0 AS tier,
                        ts_rank(d.title_vector, q.q)
                        + CASE WHEN %s <> '' AND strpos(d.title_terms, %s) > 0 THEN 1.0 ELSE 0 END AS score
                 FROM kb_searchdocument d, q, recent
                 WHERE d.title_vector @@ q.q AND d.id >= recent.id AND {where}
                 ORDER BY score DESC, d.id DESC LIMIT %s)
                UNION ALL {newest}
            ) tiers
            ORDER BY tier, score DESC, id DESC
            LIMIT %s OFFSET %s
            """,
            [*q_params, phrase, phrase, *params, wanted, *([*params, wanted] * len(tiers)), limit, offset],
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
