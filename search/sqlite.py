"""SQLite: the FTS5 table ``search_fts`` (migration 0001) holds each page's analysed text, one column per field
(title, summary, tags, body), its rowid the document's id. Its tokenizer (``porter unicode61``) stems English
words and keeps each Chinese bigram a token. FTS5 is not a model: its statements are written here."""

from django.db import connection

from search.documents import Match

FIELDS = ("title", "summary", "tags", "body")


def columns(analysed, english):
    """Nothing for the document's columns: the text goes to the FTS table (add_text)."""
    return {}


def add_text(rows):
    """Add the text of new documents: ``rows`` of (document id, {field: analysed text})."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, summary, tags, body) VALUES (%s, %s, %s, %s, %s)",
            [[document_id, *(analysed[name] for name in FIELDS)] for document_id, analysed in rows],
        )


def remove_text(ids):
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute("DELETE FROM search_fts")
        elif ids:
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({', '.join(['%s'] * len(ids))})", list(ids))


def _quoted(token):
    return '"' + token.replace('"', '""') + '"'


def _alternative(alternative):
    if alternative.kind == "prefix":
        return _quoted(alternative.tokens[0]) + " *"
    return _quoted(" ".join(alternative.tokens))


def match_expression(query):
    """FTS5 query syntax built from analysed tokens only, so nothing the user typed is read as syntax: every
    term (AND), each by any of its alternatives (OR)."""
    groups = []
    for term in query.terms:
        alternatives = [_alternative(alternative) for alternative in term.alternatives]
        groups.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
    return " AND ".join(groups)


class Reader:
    """The matches of one query, tier by tier (search.query.TIERS): each tier is an FTS5 expression, whose
    column filters say where the words are."""

    def __init__(self, query, *, now):
        self.now = connection.ops.adapt_datetimefield_value(now)
        found = f"({match_expression(query)})"
        title = f"{{title}} : {found}"
        phrase = f"{{title}} : {_alternative(query.phrase_alternative)}" if query.phrase else ""
        self.expressions = {
            "title phrase": f"{title} AND {phrase}" if phrase else None,
            "title": f"{title} NOT {phrase}" if phrase else title,
            "headline": f"({{summary tags}} : {found}) NOT ({title})",
            "body": f"{found} NOT ({{title summary tags}} : {found})",
        }

    def _select(self, tier, topic_id, kind):
        """(SQL, parameters) of the matches of ``tier``, without order or limit."""
        where, params = ["search_fts MATCH %s", "d.published_at <= %s"], [self.expressions[tier], self.now]
        if topic_id:
            where.append("d.topic_id = %s")
            params.append(topic_id)
        if kind:
            where.append("d.kind = %s")
            params.append(kind)
        sql = (
            "SELECT d.id, d.kind, d.object_id, d.topic_id FROM search_fts f"
            f" JOIN search_document d ON d.id = f.rowid WHERE {' AND '.join(where)}"
        )
        return sql, params

    def matches(self, tier, *, limit, topic_id=None, kind=None):
        """Up to ``limit`` matches of one tier, in any order."""
        if self.expressions[tier] is None:
            return []
        sql, params = self._select(tier, topic_id, kind)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s", [*params, limit])
            return [Match(*columns) for columns in cursor.fetchall()]

    def newest(self, tier, *, limit, offset, topic_id=None, kind=None):
        """The matches of one tier, newest first (FTS5 walks its rowids, the freshness keys, downwards)."""
        sql, params = self._select(tier, topic_id, kind)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} ORDER BY f.rowid DESC LIMIT %s OFFSET %s", [*params, limit, offset])
            return [Match(*columns) for columns in cursor.fetchall()]
