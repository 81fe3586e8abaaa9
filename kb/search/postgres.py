"""PostgreSQL: tsvector columns over the analysed text (``simple``) plus English stems (``english``).

``search_vector`` holds every field and is GIN-indexed to find matches. ``title_vector``, ``summary_vector``
and ``tags_vector`` (title, summary, tags and topic) tell where a page matched, which decides its tier; the
title vector, also GIN-indexed, ranks title matches with ts_rank, so ranking never reads a whole body.
"""

from django.db import connection, transaction

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
# A tier with more matches than this is "dense": its newest matches are found by walking ids downwards, which
# meets one every few rows. A sparse tier is read through its GIN index and sorted, never walked.
DENSE = 500
# ts_rank ranks at most this many title matches, the newest: a common word in 12,000 titles would otherwise
# cost a score for each of them on every search.
RANKED_WINDOW = 100


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
    def param(value):
        name = f"t{len(params)}"
        params[name] = value
        return f"%({name})s"

    if alternative.kind == "prefix":
        return f"to_tsquery('simple', {param(_lexeme(alternative.tokens[0]) + ':*')})"
    if alternative.kind == "word":
        word = alternative.tokens[0]
        return f"(to_tsquery('simple', {param(_lexeme(word))}) || plainto_tsquery('english', {param(word)}))"
    # A phrase: Chinese bigrams or several words, adjacent and in order.
    sql = f"to_tsquery('simple', {param(' <-> '.join(_lexeme(token) for token in alternative.tokens))})"
    if not any(is_cjk(token) for token in alternative.tokens):
        sql = f"({sql} || phraseto_tsquery('english', {param(' '.join(alternative.tokens))}))"
    return sql


def tsquery(query):
    """The query as an SQL expression building a tsquery (terms AND-ed, each term's alternatives OR-ed), with
    named parameters. It is written into each statement where it is used: made of constants, the planner
    evaluates it once and can estimate how common the words are (a CTE or a parameter would hide that)."""
    params, groups = {}, []
    for term in query.terms:
        groups.append("(" + " || ".join(_alternative_sql(alt, params) for alt in term.alternatives) + ")")
    return "(" + " && ".join(groups) + ")", params


def _filters(topic_id, kind, now):
    """Conditions every hit meets, with named parameters: (sql, params)."""
    sql, params = ["d.published_at <= %(now)s"], {"now": now}
    if topic_id:
        sql.append("d.topic_id = %(topic)s")
        params["topic"] = topic_id
    if kind:
        sql.append("d.kind = %(kind)s")
        params["kind"] = kind
    return " AND ".join(sql), params


def facets(query, *, now, cap, topic_id=None, kind=None):
    """Matches per (kind, topic), counting at most ``cap`` + 1 of them; returns (counts, capped)."""
    q_sql, q_params = tsquery(query)
    where, params = _filters(topic_id, kind, now)
    with transaction.atomic(), connection.cursor() as cursor:
        # With LIMIT, the planner prefers reading rows in order and testing each one's large search vector;
        # the GIN index finds the first thousand matches without opening a vector (measured: twice as fast).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"""
            SELECT kind, topic_id, count(*) FROM (
                SELECT d.kind, d.topic_id FROM kb_searchdocument d
                WHERE d.search_vector @@ {q_sql} AND {where} LIMIT %(cap)s
            ) matches GROUP BY kind, topic_id
            """,
            {**q_params, "cap": cap + 1, **params},
        )
        counts = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
    # hits() reads each tier according to how many pages it matches; the count of all matches is this one.
    query.postgres_matches = sum(counts.values())
    return counts, sum(counts.values()) > cap


def _dense(matches, wanted, total, phrase):
    """Whether to find a tier's newest ``wanted`` matches by walking ids downwards (testing each row on the way)
    rather than taking all its ``matches`` from GIN and sorting them.

    GIN costs little per match, unless the query holds a phrase: GIN cannot see word positions, so every
    match found has its vector opened to check them. A walk opens about wanted * total / matches vectors
    before it has enough. So a phrase query walks once matches * matches > wanted * total (a third of 1,000
    pages match 北橋's phrase alternatives: the newest ten are met within 30 rows, not 400); any query walks
    beyond DENSE matches, where sorting every match would cost more than the walk.
    """
    return matches > DENSE or (phrase and total > 0 and matches * matches > wanted * total)


def _has_phrase(query):
    return any(alternative.kind == "phrase" for term in query.terms for alternative in term.alternatives)


def hits(query, *, topic_id, kind, now, limit, offset, phrase):
    """One page of (document id, kind, object id), best first.

    Title matches come first, ranked with ts_rank (plus a bonus when the words appear there as a phrase);
    then summary, tag and topic matches, and body-only matches, each newest first. Document ids are
    freshness keys. How each tier is read depends on how many pages it matches (counted first, up to DENSE,
    through the GIN indexes): a dense tier walks the primary key downwards and stops after one page (at most
    the newest RANKED_WINDOW title matches are ranked); a sparse tier takes its few matches from the GIN
    index and sorts them. Either way the work does not grow with the number of pages indexed.
    """
    q_sql, q_params = tsquery(query)
    where, params = _filters(topic_id, kind, now)
    named = {**q_params, "phrase": phrase, "wanted": offset + limit, "limit": limit, "offset": offset, **params}
    title, summary, tags, anywhere = (f"d.{name}_vector @@ {q_sql}" for name in ("title", "summary", "tags", "search"))
    headline = f"({summary} OR {tags})"
    with transaction.atomic(), connection.cursor() as cursor:
        # Matches are found through the GIN indexes, never by reading every row (see facets()).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"""
            SELECT (SELECT count(*) FROM (SELECT 1 FROM kb_searchdocument d WHERE {title} LIMIT {DENSE + 1}) t),
                   (SELECT count(*) FROM (SELECT 1 FROM kb_searchdocument d WHERE {headline} LIMIT {DENSE + 1}) h),
                   (SELECT reltuples FROM pg_class WHERE oid = 'kb_searchdocument'::regclass)
            """,
            q_params,
        )
        title_count, headline_count, total = cursor.fetchone()
        has_phrase = _has_phrase(query)
        title_n = _dense(title_count, RANKED_WINDOW, total, has_phrase)
        headline_n = _dense(headline_count, offset + limit, total, has_phrase)
        any_n = _dense(getattr(query, "postgres_matches", DENSE + 1), offset + limit, total, has_phrase)

        def order(dense):
            # "id + 0" cannot be read from the primary key, so a sparse tier is sorted after the GIN lookup.
            return "d.id DESC" if dense else "d.id + 0 DESC"

        ranked_source = (
            f"""SELECT d.id, d.kind, d.object_id, d.title_vector, d.title_terms FROM kb_searchdocument d
                WHERE {title} AND {where} ORDER BY d.id DESC LIMIT {RANKED_WINDOW}"""
            if title_n
            else f"""SELECT d.id, d.kind, d.object_id, d.title_vector, d.title_terms FROM kb_searchdocument d
                     WHERE {title} AND {where}"""
        )
        tiers = [
            (f"{headline} AND NOT {title}", headline_n),
            (f"{anywhere} AND NOT ({title} OR {headline})", any_n),
        ]
        newest = " UNION ALL ".join(
            f"""(SELECT d.id, d.kind, d.object_id, {tier} AS tier, 0::real AS score FROM kb_searchdocument d
                 WHERE {condition} AND {where} ORDER BY {order(dense)} LIMIT %(wanted)s)"""
            for tier, (condition, dense) in enumerate(tiers, start=1)
        )
        cursor.execute(
            f"""
            WITH ranked AS ({ranked_source})
            SELECT id, kind, object_id FROM (
                (SELECT id, kind, object_id, 0 AS tier,
                        ts_rank(title_vector, {q_sql})
                        + CASE WHEN %(phrase)s <> '' AND strpos(title_terms, %(phrase)s) > 0 THEN 1.0 ELSE 0 END
                        AS score
                 FROM ranked ORDER BY score DESC, id DESC LIMIT %(wanted)s)
                UNION ALL {newest}
            ) tiers
            ORDER BY tier, score DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
            """,
            named,
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
