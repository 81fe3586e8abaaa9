"""PostgreSQL: three tsvector columns of search.models.Document, each GIN-indexed. A vector holds the analysed
text (configuration ``simple``: Latin words as written, Chinese bigrams) and the English text's stems
(``english``): ``title_vector`` the title, ``headline_vector`` the summary, tags and topic,
``search_vector`` every field. A query becomes a tsquery built from the same two configurations."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, Value

from search.analysis import is_cjk
from search.documents import Match
from search.models import Document

# Search.documents.Match, read from a queryset.
COLUMNS = ("id", "kind", "object_id", "topic_id")


def _vector(analysed, english):
    return SearchVector(Value(analysed), config="simple") + SearchVector(Value(english), config="english")


def columns(analysed, english):
    """The vectors of a page (``analysed`` and ``english``: field -> text), as Document field values."""
    title = _vector(analysed["title"], english["title"])
    headline = _vector(analysed["summary"], english["summary"]) + _vector(analysed["tags"], english["tags"])
    body = _vector(analysed["body"], english["body"])
    # Vectors joined with || keep their words apart: a phrase is never found across two fields.
    return {"title_vector": title, "headline_vector": headline, "search_vector": title + headline + body}


def add_text(rows):
    """Nothing to do: the vectors are columns of the documents."""


def remove_text(ids):
    """Nothing to do: the vectors go with the documents."""


def _lexeme(token):
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _alternative(alternative):
    """One way to match a term: a word (as written, or its English stem), a prefix (one Chinese character), or
    a phrase (Chinese bigrams, or words, in order)."""
    tokens = alternative.tokens
    if alternative.kind == "prefix":
        return SearchQuery(_lexeme(tokens[0]) + ":*", config="simple", search_type="raw")
    if alternative.kind == "word":
        return SearchQuery(_lexeme(tokens[0]), config="simple", search_type="raw") | SearchQuery(
            tokens[0], config="english"
        )
    found = SearchQuery(" <-> ".join(_lexeme(token) for token in tokens), config="simple", search_type="raw")
    if not any(is_cjk(token) for token in tokens):
        found |= SearchQuery(" ".join(tokens), config="english", search_type="phrase")
    return found


def tsquery(query):
    """Every term (AND), each by any of its alternatives (OR): its glossary spellings."""
    terms = []
    for term in query.terms:
        alternatives = [_alternative(alternative) for alternative in term.alternatives]
        either = alternatives[0]
        for alternative in alternatives[1:]:
            either |= alternative
        terms.append(either)
    every = terms[0]
    for term in terms[1:]:
        every &= term
    return every


class Reader:
    """The matches of one query, tier by tier (search.query.TIERS)."""

    def __init__(self, query, *, now):
        self.now = now
        found = tsquery(query)
        title, headline = Q(title_vector=found), Q(headline_vector=found)
        # A query of one word has no phrase: its title matches are all in the "title" tier.
        phrase = Q(title_vector=_alternative(query.phrase_alternative)) if query.phrase else None
        self.conditions = {
            "title phrase": title & phrase if phrase else Q(pk__in=[]),
            "title": title & ~phrase if phrase else title,
            "headline": headline & ~title,
            "body": Q(search_vector=found) & ~title & ~headline,
        }

    def _matches(self, tier, topic_id, kind):
        found = Document.objects.filter(self.conditions[tier], published_at__lte=self.now)
        if topic_id:
            found = found.filter(topic_id=topic_id)
        if kind:
            found = found.filter(kind=kind)
        return found

    def matches(self, tier, *, limit, topic_id=None, kind=None):
        """Up to ``limit`` matches of one tier, in any order."""
        return [Match(*columns) for columns in self._matches(tier, topic_id, kind).values_list(*COLUMNS)[:limit]]

    def newest(self, tier, *, limit, offset, topic_id=None, kind=None):
        """The matches of one tier, newest first (ids are freshness keys), from ``offset``."""
        found = self._matches(tier, topic_id, kind).order_by("-id").values_list(*COLUMNS)
        return [Match(*columns) for columns in found[offset : offset + limit]]
