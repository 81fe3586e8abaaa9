"""Bilingual search on the database's own full-text engine (PostgreSQL tsvector, SQLite FTS5).

``search()`` analyses the query (kb.search.analysis), asks the backend of the current database for one
page of ranked hits and the match counts per kind and topic, then loads the pages found and builds their
snippets. Nothing loops over the index in Python.
"""

import difflib
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from kb import languages
from kb.search import postgres, snippets, sqlite
from kb.search.analysis import is_cjk, normalize, parse, words
from kb.search.glossary import expansions

MAX_QUERY_LENGTH = 200
_SUFFIXES = [languages.localized("", code).lstrip("_") for code in languages.codes()]
_LOADED = ["id", "slug", "topic__id", "topic__slug", "topic__name_en", "topic__name_zh_hant", "topic__order"]
PER_PAGE = 10
# Counting every match of a common word costs as much as finding them all; beyond this, "More than 500".
COUNT_CAP = 500


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


@dataclass
class Hit:
    kind: str
    object: object
    url: str
    title: str
    title_lang: str
    other_title: str
    other_lang: str
    matched_other_language: bool
    topic: object
    snippet: str
    snippet_lang: str


@dataclass
class Results:
    query: object
    page: object = None
    total: int = 0
    by_kind: dict = field(default_factory=dict)
    by_topic: dict = field(default_factory=dict)
    capped: bool = False
    suggestions: list = field(default_factory=list)

    @property
    def hits(self):
        return self.page.object_list if self.page else []


class _HitList:
    """A sequence of search hits that the paginator slices; each slice is one query to the database."""

    def __init__(self, run, total):
        self._run = run
        self._total = total

    def __len__(self):
        return self._total

    def __getitem__(self, window):
        return self._run(limit=window.stop - window.start, offset=window.start)


def search(text, *, language, topic=None, kind=None, page=1):
    text = (text or "")[:MAX_QUERY_LENGTH]
    query = parse(text, expansions())
    results = Results(query=query)
    if query.is_empty:
        return results
    now = timezone.now()
    phrase = _phrase(query)
    engine = backend()

    def run(limit, offset):
        found = engine.hits(
            query, topic_id=topic.pk if topic else None, kind=kind, now=now, limit=limit, offset=offset, phrase=phrase
        )
        return _load(found, query, language)

    with engine.reading():  # one transaction for the counts, the hits and the pages found
        facets, capped = engine.facets(query, now=now, cap=COUNT_CAP)
        results.by_kind, results.by_topic = _facet_counts(facets)
        results.capped = capped
        if topic or kind:
            filtered, capped = engine.facets(
                query, now=now, cap=COUNT_CAP, topic_id=topic.pk if topic else None, kind=kind
            )
            results.capped = capped
            results.total = min(sum(filtered.values()), COUNT_CAP)
        else:
            results.total = min(sum(facets.values()), COUNT_CAP)
        paginator = Paginator(_HitList(run, results.total), PER_PAGE)
        results.page = paginator.get_page(page)
    if not results.total:
        results.suggestions = suggestions(query)
    return results


def _phrase(query):
    """The query's Latin words as the index writes them, for the phrase bonus; '' for one word."""
    latin = [word for word in query.words if not is_cjk(word)]
    return " ".join(latin) if len(latin) > 1 and len(latin) == len(query.words) else ""


def _facet_counts(facets):
    by_kind, by_topic = {}, {}
    for (kind, topic_id), count in facets.items():
        by_kind[kind] = by_kind.get(kind, 0) + count
        by_topic[topic_id] = by_topic.get(topic_id, 0) + count
    return by_kind, by_topic


def _load(hits, query, language):
    from courses.models import Course
    from kb.models import Article

    article_ids = [object_id for _doc, kind, object_id in hits if kind == "article"]
    course_ids = [object_id for _doc, kind, object_id in hits if kind == "course"]
    # Only what a result shows: titles, summaries and the rendered text the snippet comes from.
    article_fields = [
        *_LOADED,
        *(f"{name}_{suffix}" for name in ("title", "summary", "body_html") for suffix in _SUFFIXES),
    ]
    course_fields = [
        *_LOADED,
        *(f"{name}_{suffix}" for name in ("title", "summary", "description_html") for suffix in _SUFFIXES),
    ]
    articles = Article.objects.select_related("topic").only(*article_fields).in_bulk(article_ids) if article_ids else {}
    courses = Course.objects.select_related("topic").only(*course_fields).in_bulk(course_ids) if course_ids else {}
    highlight = snippets.Highlighter(query.highlight_words())
    typed = snippets.Highlighter([term.text for term in query.terms])
    loaded = []
    for _doc, kind, object_id in hits:
        item = (articles if kind == "article" else courses).get(object_id)
        if item is not None:
            loaded.append(_hit(kind, item, language, highlight, typed))
    return loaded


def _texts(kind, item, code):
    """Title, summary and rendered body (HTML) of one language."""
    body = "body_html" if kind == "article" else "description_html"
    return tuple(getattr(item, languages.localized(name, code)) or "" for name in ("title", "summary", body))


def _hit(kind, item, language, highlight, typed):
    """``highlight`` marks every form that matched; ``typed`` (the words as typed) tells which language the
    match was in, so a Chinese word found through the glossary still shows the Chinese title beside."""
    other = next(code for code in languages.codes() if code != language)
    own = _texts(kind, item, language)
    theirs = _texts(kind, item, other)
    shown_lang = language if own[0] else other
    shown = own if own[0] else theirs
    # Searching the HTML is enough to tell where the words are; only the snippet's text is made plain.
    matched_own = any(typed.finds(text) for text in own)
    matched_other = any(typed.finds(text) for text in theirs)
    snippet_lang, (_title, summary, body_html) = (
        (language, own) if matched_own or not matched_other else (other, theirs)
    )
    return Hit(
        kind=kind,
        object=item,
        url=item.get_absolute_url(),
        title=highlight.mark(shown[0]),
        title_lang=languages.bcp47(shown_lang),
        other_title=theirs[0] if theirs[0] != shown[0] else "",
        other_lang=languages.bcp47(other),
        matched_other_language=matched_other and not matched_own,
        topic=item.topic,
        snippet=highlight.snippet(summary, snippets.plain_text(body_html)),
        snippet_lang=languages.bcp47(snippet_lang),
    )


def suggestions(query, limit=5):
    """Glossary terms, topics and tags spelled closest to the query, for a search that found nothing."""
    from kb.models import GlossaryTerm, Tag, Topic

    candidates = {}
    for term in GlossaryTerm.objects.all():
        for code in languages.codes():
            for spelling in term.spellings(code):
                candidates.setdefault(normalize(spelling), spelling)
    for model in (Topic, Tag):
        for item in model.objects.all():
            for name in (getattr(item, languages.localized("name", code)) for code in languages.codes()):
                if name:
                    candidates.setdefault(normalize(name), name)
    typed = " ".join(words(query.text)) or normalize(query.text)
    close = difflib.get_close_matches(typed, list(candidates), n=limit, cutoff=0.6)
    if not close:
        # One mistyped word among several: look for each word on its own.
        for word in query.words:
            close.extend(difflib.get_close_matches(word, list(candidates), n=2, cutoff=0.75))
    return [candidates[key] for key in dict.fromkeys(close)][:limit]
