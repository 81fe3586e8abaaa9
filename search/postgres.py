"""PostgreSQL: tsvector columns over the analysed text (``simple``) plus English stems (``english``).

``search_vector`` holds every field and is GIN-indexed to find matches. ``title_vector``, ``summary_vector``
and ``tags_vector`` (title, summary, tags and topic) tell where a page matched, which decides its tier; the
title vector, also GIN-indexed, ranks title matches with ts_rank, so ranking never reads a whole body.
``phrase_vector`` (GIN) holds the pairs of neighbouring Latin words, which narrow a phrase's matches before
any row is opened (see _narrowing()).
"""

import json
import re
import time
from typing import NamedTuple

from django.db import connection

from search.analysis import CJK, is_cjk


def _vector(field):
    """The analysed text (simple) and the English original's stems (english) of one field."""
    return f"to_tsvector('simple', %({field})s) || to_tsvector('english', %({field}_en)s)"


# Each field's vectors, and search_vector (every field), from which search_word_pairs() (migration 0008) takes
# the pairs of neighbouring words for phrase_vector.
VECTORS = f"""
    SELECT v.*, setweight(v.title, 'A') || setweight(v.summary, 'B') || setweight(v.tags, 'C') || v.body AS search
    FROM (SELECT {_vector("title")} AS title, {_vector("summary")} AS summary,
                 {_vector("tags")} AS tags, {_vector("body")} AS body) v
"""
UPDATE = f"""
    UPDATE search_document d SET
      title_vector = v.title, summary_vector = v.summary, tags_vector = v.tags,
      search_vector = v.search, phrase_vector = search_word_pairs(v.search)
    FROM ({VECTORS}) v
    WHERE d.id = %(id)s
"""
INSERT = f"""
    INSERT INTO search_document
        (id, kind, object_id, topic_id, published_at, title_terms, summary_terms,
         title_vector, summary_vector, tags_vector, search_vector, phrase_vector)
    SELECT %(id)s, %(kind)s, %(object_id)s, %(topic_id)s, %(published_at)s, %(title)s, %(summary)s,
           v.title, v.summary, v.tags, v.search, search_word_pairs(v.search)
    FROM ({VECTORS}) v
"""
# ts_rank ranks at most this many title matches, the newest (or as many as the page asked for needs): a
# common word in 12,000 titles would otherwise cost a score for each of them on every search.
RANKED_WINDOW = 100
# What reading one row costs when counting matches, in microseconds (measured on the benchmark's 2-core
# machine): opening a whole search vector (a walk, or GIN's recheck of a phrase), fetching a row that GIN
# matched exactly, and one posting in a GIN bitmap.
OPEN_VECTOR, FETCH_ROW, POSTING = 8.0, 1.0, 0.4
# ... and testing one of its small vectors (title, summary, tags), in a walk or a recheck.
SMALL_VECTOR = 2.0
# facets() orders its matches as hits when the planner expects no more than this many times the cap (its
# estimates can be half or twice the truth).
LIKELY_ALL = 1.5
# An index of no more pages than this is read through GIN without asking the planner (see _how_to_read()),
# whose figure is read again after this many seconds.
SMALL_INDEX, ROWS_CHECKED = 2000, 60.0


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


def _param(params, value, prefix="t"):
    name = f"{prefix}{len(params)}"
    params[name] = value
    return f"%({name})s"


def _is_latin_phrase(alternative):
    return alternative.kind == "phrase" and not any(is_cjk(token) for token in alternative.tokens)


def _configurations(alternative, params, prefix="t", loose=False):
    """The SQL of one alternative's tsquery in each text search configuration: simple, then english for
    Latin words. ``loose``: a phrase's words anywhere, in any order, which GIN answers without opening a row
    (for a condition that only narrows, see _narrowing())."""

    def param(value):
        return _param(params, value, prefix)

    if alternative.kind == "prefix":
        return [f"to_tsquery('simple', {param(_lexeme(alternative.tokens[0]) + ':*')})"]
    if alternative.kind == "word":
        word = alternative.tokens[0]
        return [f"to_tsquery('simple', {param(_lexeme(word))})", f"plainto_tsquery('english', {param(word)})"]
    # A phrase: Chinese bigrams or several words, adjacent and in order.
    link = " & " if loose else " <-> "
    sql = [f"to_tsquery('simple', {param(link.join(_lexeme(token) for token in alternative.tokens))})"]
    if _is_latin_phrase(alternative):
        english = "plainto_tsquery" if loose else "phraseto_tsquery"
        sql.append(f"{english}('english', {param(' '.join(alternative.tokens))})")
    return sql


def _alternative_sql(alternative, params):
    sql = _configurations(alternative, params)
    return sql[0] if len(sql) == 1 else "(" + " || ".join(sql) + ")"


def tsquery(query):
    """The query as an SQL expression building a tsquery (terms AND-ed, each term's alternatives OR-ed), with
    named parameters. It is written into each statement where it is used: made of constants, the planner
    evaluates it once and can estimate how common the words are (a CTE or a parameter would hide that)."""
    params, groups = {}, []
    for term in query.terms:
        groups.append("(" + " || ".join(_alternative_sql(alt, params) for alt in term.alternatives) + ")")
    return "(" + " && ".join(groups) + ")", params


def _query_sql(query):
    """(sql, params): the query's tsquery as the database made it when a count read it (see facets()), so
    that a later statement, which writes it in several places, need not have each made again (by a
    dictionary, for English stems) when it is planned; else as tsquery() builds it."""
    folded = getattr(query, "postgres_tsquery", None)
    if folded is None:
        return tsquery(query)
    return "%(query)s::tsquery", {"query": folded}


# A phrase query's text as PostgreSQL writes it: quoted lexemes joined by <-> (neighbours) or <N>.
CHAIN_LINK = re.compile(r"\s*'((?:[^'\\]|''|\\.)*)'\s*(?:<(-|\d+)>|$)")
CHINESE = re.compile(f"[{CJK}]")


def _word_pairs(text):
    """The pairs of neighbouring lexemes in a phrase query's text, as phrase_vector stores them ('front' <->
    'side' <-> 'bus' -> ['front side', 'side bus']); None when there is none, or the text is not a chain of
    lexemes, or a pair holds Chinese (phrase_vector keeps none)."""
    lexemes, links, position = [], [], 0
    while position < len(text):
        link = CHAIN_LINK.match(text, position)
        if not link:
            return None
        lexemes.append(re.sub(r"''|\\(.)", lambda m: m.group(1) or "'", link.group(1)))
        links.append(link.group(2))
        position = link.end()
    neighbours = zip(lexemes[:-1], lexemes[1:], links[:-1], strict=True)
    pairs = [f"{first} {second}" for first, second, link in neighbours if link == "-"]
    if not pairs or any(CHINESE.search(pair) for pair in pairs):
        return None
    return pairs


def _narrowing(cursor, query):
    """(sql, params): a condition every match meets that GIN answers without opening any row, or ("", {}).

    GIN finds a phrase of common words slowly: "front side bus" brings every page holding the three words,
    each of which must be opened to check the words' positions. Its pairs of neighbours ('front side' AND
    'side bus', in phrase_vector) are held by far fewer pages, and by every page holding the phrase. A term
    whose alternatives include such a phrase is narrowed to pages holding the pairs of one of them, or the
    words of one of its other alternatives (in any order: the whole query is tested afterwards, and a page's
    vector is opened once). The phrases' lexemes (English ones stemmed) come from the database in one
    round trip, once per query.
    """
    cached = getattr(query, "postgres_narrowing", None)
    if cached is not None:
        return cached
    phrases = list(dict.fromkeys(
        alternative
        for term in query.terms
        for alternative in term.alternatives
        if _is_latin_phrase(alternative) and len(alternative.tokens) > 1
    ))  # fmt: skip
    groups, params = [], {}
    if phrases:
        asked, texts = {}, {}
        for alternative in phrases:
            texts[alternative] = [f"({sql})::text" for sql in _configurations(alternative, asked)]
        cursor.execute("SELECT " + ", ".join(sql for found in texts.values() for sql in found), asked)
        written = iter(cursor.fetchone())
        pairs = {alternative: [_word_pairs(next(written)) for _sql in found] for alternative, found in texts.items()}
        for term in query.terms:
            paired, other = [], []
            for alternative in term.alternatives:
                configurations = _configurations(alternative, params, "n", loose=True)
                found_pairs = pairs.get(alternative) or [None] * len(configurations)
                for sql, found in zip(configurations, found_pairs, strict=True):
                    if found:
                        paired.append("(" + " & ".join(_lexeme(pair) for pair in found) + ")")
                    else:
                        other.append(sql)
            if paired:
                condition = f"d.phrase_vector @@ {_param(params, ' | '.join(paired), 'n')}::tsquery"
                if other:
                    condition = f"({condition} OR d.search_vector @@ ({' || '.join(other)}))"
                groups.append(condition)
    query.postgres_narrowing = (" AND ".join(groups), params)
    return query.postgres_narrowing


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


def _estimates(cursor, q_sql, where, params):
    """The planner's estimates, from one EXPLAIN: pages matching anywhere, in the title, in the summary or
    tags, and pages in the table. They only choose how to read (every way reads the same matches)."""
    title, headline = f"d.title_vector @@ {q_sql}", f"(d.summary_vector @@ {q_sql} OR d.tags_vector @@ {q_sql})"
    cursor.execute(
        f"""EXPLAIN (FORMAT JSON)
            SELECT 1 FROM search_document d WHERE d.search_vector @@ {q_sql} AND {where}
            UNION ALL SELECT 1 FROM search_document d WHERE {title}
            UNION ALL SELECT 1 FROM search_document d WHERE {headline}
            UNION ALL SELECT 1 FROM search_document d""",
        params,
    )
    plan = cursor.fetchone()[0]
    plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
    anywhere, title_rows, headline_rows, total = (max(1.0, child["Plan Rows"]) for child in plan["Plans"])
    return {"anywhere": anywhere, "title": title_rows, "headline": headline_rows, "total": total}


def _walk_is_cheaper(estimate, total, wanted, phrase, ordered=False):
    """Whether walking ids downwards finds ``wanted`` matches sooner than GIN finds them all.

    A walk opens every row's vector until it has enough: about wanted * total / estimate rows, never more
    than the table. GIN reads the posting lists of every matching page (a phrase's words are each common,
    so count them twice), then fetches up to ``wanted`` rows, opening each vector again if the query holds a
    phrase, whose word positions GIN cannot check. ``ordered``: the newest ``wanted`` are asked for, so GIN
    fetches every match to sort them (hits()), not only the first ``wanted`` it meets (a count).
    """
    walk = min(total, wanted * total / estimate) * OPEN_VECTOR
    fetched = estimate if ordered else min(estimate, wanted)
    gin = estimate * POSTING * (2 if phrase else 1) + fetched * (OPEN_VECTOR if phrase else FETCH_ROW)
    return walk < gin


def _tier_is_dense(estimate, total, wanted, phrase, vectors):
    """Whether a title or headline tier (whose test opens ``vectors`` small vectors a row) finds its newest
    ``wanted`` matches sooner by walking ids downwards than by reading all its matches through GIN and
    sorting them. A walk meets one every total / estimate rows: dense when the tier is common, or the table
    small."""
    walk = min(total, wanted * total / estimate) * SMALL_VECTOR * vectors
    gin = estimate * (POSTING * (2 if phrase else 1) + FETCH_ROW + (SMALL_VECTOR * vectors if phrase else 0))
    return walk < gin


def _has_phrase(query):
    """Whether GIN's matches need their vectors opened to check word positions (a one-token phrase, such as
    the bigram 容器, does not)."""
    return any(
        alternative.kind == "phrase" and len(alternative.tokens) > 1
        for term in query.terms
        for alternative in term.alternatives
    )


class Counted(NamedTuple):
    """What facets() learnt, kept on the query for hits(): the best ``wanted`` hits (None: every one), best
    first, when it read and ordered every match (else None); how many matches it read, whether that is all
    of them, and the planner's estimates it read by (None: a small index)."""

    hits: list | None
    wanted: int | None
    matches: int
    complete: bool
    estimates: dict | None

    def holds(self, wanted):
        """Whether the hits kept include the best ``wanted`` (all of them when there are fewer)."""
        if self.hits is None:
            return False
        return self.wanted is None or wanted <= self.wanted or len(self.hits) < self.wanted


def _execute(cursor, sql, params):
    """Run one search statement in a single round trip, in which the planner never reads the whole table: a
    LIMIT tempts it to, testing each row's large vector. The statements sent together run as one implicit
    transaction, so the setting ends with them (RESET ends it inside a caller's transaction too). Sending
    several statements at once needs client-side parameter binding, Django's default for psycopg 3."""
    cursor.execute(f"SET LOCAL enable_seqscan = off; {sql}; RESET enable_seqscan", params)
    cursor.nextset()


_index_rows = {}


def _rows_in_index(cursor):
    """How many pages the index holds, as the planner last counted them (-1: not counted yet), read at most
    once every ROWS_CHECKED seconds per database."""
    name, now = connection.settings_dict["NAME"], time.monotonic()
    checked, rows = _index_rows.get(name, (None, -1))
    if checked is None or now - checked > ROWS_CHECKED:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = 'search_document'::regclass")
        rows = cursor.fetchone()[0]
        _index_rows[name] = (now, rows)
    return rows


def _how_to_read(cursor, q_sql, where, params):
    """(estimates, small): the planner's estimates from one EXPLAIN, which choose how to read; or, for a
    small index, no estimates and small=True: every read then goes through GIN, except hits() walking the
    body-only tier when facets() found many matches (more than the cap, or a phrase common enough that a walk
    opens fewer pages). Were every page to match, that would cost little more than the best plan: less than
    asking."""
    rows = _rows_in_index(cursor)
    if 0 <= rows <= SMALL_INDEX:
        return None, True
    return _estimates(cursor, q_sql, where, params), False


def _title_score(q_sql):
    """ts_rank over the small title vector, plus a bonus when the title holds the query's words as a phrase."""
    return f"""ts_rank(d.title_vector, {q_sql})
               + CASE WHEN %(phrase)s <> '' AND strpos(d.title_terms, %(phrase)s) > 0 THEN 1.0 ELSE 0 END"""


def _conditions(q_sql):
    """Where a page matched: (anywhere, title, headline), SQL conditions on the row ``d``."""
    title, summary, tags = (f"d.{name}_vector @@ {q_sql}" for name in ("title", "summary", "tags"))
    return f"d.search_vector @@ {q_sql}", title, f"({summary} OR {tags})"


def _through_gin(cursor, query, q_sql, named):
    """The condition of matching anywhere, for a read through GIN of a large index: narrowed when the query
    holds a phrase of Latin words (see _narrowing()), the whole query then tested on the few pages found. It
    is written as the function behind @@, which no index answers, so that the planner does not also list the
    phrase's words. (A small index lists few pages for any phrase: narrowing would cost more than it saves.)"""
    narrow, params = _narrowing(cursor, query)
    if not narrow:
        return f"d.search_vector @@ {q_sql}"
    named.update(params)
    return f"{narrow} AND ts_match_vq(d.search_vector, {q_sql})"


def facets(query, *, now, cap, topic_id=None, kind=None, wanted=None):
    """Matches per (kind, topic), counting at most ``cap`` + 1 of them; returns (counts, capped).

    Common words are counted by walking ids downwards (the first ``cap`` + 1 rows that match are enough);
    rarer ones, and any in a small index, through GIN. The database groups the matches, and in a large index,
    when it likely reads them all, also gives the best ``wanted`` of them (None: every one) in the order of
    hits(): when they are all the matches, hits() takes its pages from them and reads no more rows.
    """
    q_sql, q_params = _query_sql(query)
    where, params = _filters(topic_id, kind, now)
    named = {**q_params, **params, "phrase": query.phrase, "wanted": wanted}
    anywhere, title, headline = _conditions(q_sql)
    phrase = _has_phrase(query)
    with connection.cursor() as cursor:
        estimates, small = _how_to_read(cursor, q_sql, where, named)
        named["limit"] = cap + 1
        if small:
            # Only counted: ordering every match of a common word here cost more than reading one page of
            # hits afterwards (hits() reads a small index's titles and headlines through GIN, and walks the
            # body-only tier when this count found many matches).
            order, ordered = "", False
        else:
            walk = _walk_is_cheaper(estimates["anywhere"], estimates["total"], cap + 1, phrase)
            order = "ORDER BY d.id DESC" if walk else ""
            if not walk:
                anywhere = _through_gin(cursor, query, q_sql, named)
            # Ordering the matches as hits costs microseconds a row, wasted when there are too many of them
            # (and the planner's guess for a phrase can be far below the truth).
            ordered = estimates["anywhere"] <= cap * LIKELY_ALL and not phrase
        ranks = ordered and wanted != 0
        if ranks:
            # The LIMIT keeps the inner query whole, so that each row's tier is computed once; only title
            # matches are scored.
            sql = f"""
                WITH matches AS (
                    SELECT d.id, d.kind, d.topic_id, d.object_id, d.tier,
                           CASE WHEN d.tier = 0 THEN {_title_score(q_sql)} ELSE 0 END AS score
                    FROM (SELECT d.id, d.kind, d.topic_id, d.object_id, d.title_vector, d.title_terms,
                                 CASE WHEN {title} THEN 0 WHEN {headline} THEN 1 ELSE 2 END AS tier
                          FROM search_document d WHERE {anywhere} AND {where} {order} LIMIT %(limit)s) d)
                SELECT kind, topic_id, count(*), {q_sql}::text, NULL, NULL, NULL, NULL FROM matches
                GROUP BY kind, topic_id
                UNION ALL
                (SELECT kind, topic_id, NULL, NULL, id, object_id, tier, score FROM matches
                 ORDER BY tier, score DESC, id DESC LIMIT %(wanted)s)"""
        else:
            sql = f"""SELECT kind, topic_id, count(*), {q_sql}::text FROM (
                          SELECT d.kind, d.topic_id FROM search_document d WHERE {anywhere} AND {where} {order}
                          LIMIT %(limit)s) d
                      GROUP BY kind, topic_id"""
        _execute(cursor, sql, named)
        rows = cursor.fetchall()
    counts = {(row[0], row[1]): row[2] for row in rows if row[2] is not None}
    folded = next((row[3] for row in rows if row[2] is not None), None)
    if folded is not None:
        query.postgres_tsquery = folded
    found = sum(counts.values())
    complete = found < named["limit"]
    best = None
    if ranks and complete:
        # The hits' rows, ordered again here: UNION ALL promises no order.
        best = sorted((row for row in rows if row[2] is None), key=lambda row: (row[6], -row[7], -row[4]))
        best = [(id_, kind, object_id) for kind, _topic, _count, _query, id_, object_id, _tier, _score in best]
    query.postgres_found = {
        **getattr(query, "postgres_found", {}),
        (topic_id or None, kind or None): Counted(
            hits=best, wanted=wanted, matches=found, complete=complete, estimates=estimates
        ),
    }
    return counts, found > cap


def hits(query, *, topic_id, kind, now, limit, offset):
    """One page of (document id, kind, object id), best first.

    Title matches come first, the newest RANKED_WINDOW of them (or as many as the page needs) ranked with
    ts_rank (plus a bonus when the words appear there as a phrase); then summary, tag and topic matches, and
    body-only matches, each newest first. Document ids are freshness keys. When facets() found every match,
    the page is a slice of them. Otherwise how each tier is read depends on how many pages the planner
    expects it to match: a dense tier walks the primary key downwards and stops after one page; a sparse
    one takes its few matches from GIN and sorts them. Either way the work does not grow with the number of
    pages indexed.
    """
    counted = getattr(query, "postgres_found", {}).get((topic_id or None, kind or None))
    if counted is not None and counted.holds(offset + limit):
        return counted.hits[offset : offset + limit]
    q_sql, q_params = _query_sql(query)
    where, params = _filters(topic_id, kind, now)
    wanted = offset + limit
    window = max(RANKED_WINDOW, wanted)
    named = {
        **q_params,
        **params,
        "phrase": query.phrase,
        "wanted": wanted,
        "window": window,
        "limit": limit,
        "offset": offset,
    }
    anywhere, title, headline = _conditions(q_sql)
    with connection.cursor() as cursor:
        if counted is not None:
            estimates, small = counted.estimates, counted.estimates is None
        else:
            estimates, small = _how_to_read(cursor, q_sql, where, named)
        phrase = _has_phrase(query)
        if small:  # titles, summaries and tags through GIN; the body-only tier walked when matches abound
            title_n = headline_n = False
            total, matches = _rows_in_index(cursor), counted.matches if counted is not None else None
        else:
            total = estimates["total"]
            title_n = _tier_is_dense(estimates["title"], total, window, phrase, vectors=1)
            headline_n = _tier_is_dense(estimates["headline"], total, wanted, phrase, vectors=3)
            matches = counted.matches if counted is not None else estimates["anywhere"]
        # More matches than facets() counts: a walk meets a page of them within wanted * total / cap rows,
        # however wrong the estimate (the planner guesses a prefix such as 橋:* at 0.5% of the table). Fewer:
        # a phrase common enough (a hundred pages of a thousand) is still met sooner by a walk than GIN opens
        # every page it lists.
        dense = (counted is not None and not counted.complete) or (
            matches is not None and _walk_is_cheaper(max(1, matches), total, wanted, phrase, ordered=True)
        )
        if not dense and not small:
            anywhere = _through_gin(cursor, query, q_sql, named)

        def order(dense):
            # "id + 0" cannot be read from the primary key, so a sparse tier is sorted after the GIN lookup.
            return "d.id DESC" if dense else "d.id + 0 DESC"

        columns = "d.id, d.kind, d.object_id, d.title_vector, d.title_terms"
        # Walked or sorted, only the newest title matches are scored: ts_rank costs a microsecond or two a row,
        # more than sorting by id the rows GIN found.
        ranked_source = (
            f"SELECT {columns} FROM search_document d WHERE {title} AND {where}"
            f" ORDER BY {order(title_n)} LIMIT %(window)s"
        )
        tiers = [
            (f"{headline} AND NOT {title}", headline_n),
            (f"{anywhere} AND NOT ({title} OR {headline})", dense),
        ]
        newest = " UNION ALL ".join(
            f"""(SELECT d.id, d.kind, d.object_id, {tier} AS tier, 0::real AS score FROM search_document d
                 WHERE {condition} AND {where} ORDER BY {order(dense)} LIMIT %(wanted)s)"""
            for tier, (condition, dense) in enumerate(tiers, start=1)
        )
        _execute(
            cursor,
            f"""
            WITH ranked AS ({ranked_source})
            SELECT id, kind, object_id FROM (
                (SELECT d.id, d.kind, d.object_id, 0 AS tier, {_title_score(q_sql)} AS score
                 FROM ranked d ORDER BY score DESC, id DESC LIMIT %(wanted)s)
                UNION ALL {newest}
            ) tiers
            ORDER BY tier, score DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
            """,
            named,
        )
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]
