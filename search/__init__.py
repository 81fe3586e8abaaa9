"""Bilingual search on the database's own full-text engine (PostgreSQL tsvector, SQLite FTS5).

``search()`` analyses the query (search.analysis), asks the backend of the current database for one
page of ranked hits and the match counts per kind and topic, then loads the pages found and builds their
snippets. Nothing loops over the index in Python.
"""

import difflib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone

from search import postgres, snippets, sqlite
from search.analysis import normalize, parse, words
from search.documents import kinds, suggestion_words
from search.synonyms import expansions, spellings

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Counting every match of a common word costs as much as finding them all; beyond this, "More than 200".
# A learner does not page through twenty pages of results; a search this broad wants narrowing (the topic
# and kind filters stay, without their counts). Each match counted past the first page costs PostgreSQL
# about 8 µs when the query holds a phrase (see docs/performance.md).
COUNT_CAP = 200


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


@dataclass
class Hit:
    kind: str
    kind_label: str
    url: str
    title: str
    title_lang: str
    other_title: str
    other_lang: str
    matched_other_language: bool
    topic_id: object
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
    def counted(self):
        """Whether the counts per kind and topic are every match's (not capped, and the query was run)."""
        return not self.capped and not self.query.common_words

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
    if query.is_empty or query.common_words:
        return results
    now = timezone.now()
    engine = backend()

    def run(limit, offset):
        found = engine.hits(query, topic_id=topic, kind=kind, now=now, limit=limit, offset=offset)
        return _load(found, query, language)

    # The hits up to the page asked for: an engine that orders its matches while counting them (PostgreSQL,
    # for few matches) then needs no second statement. A page number past the last page gives the last page.
    wanted = PER_PAGE * min(_page_number(page), COUNT_CAP // PER_PAGE + 1)
    facets, capped = engine.facets(query, now=now, cap=COUNT_CAP, wanted=0 if topic or kind else wanted)
    results.by_kind, results.by_topic = _facet_counts(facets)
    results.capped = capped
    if topic or kind:
        filtered, capped = engine.facets(query, now=now, cap=COUNT_CAP, topic_id=topic, kind=kind, wanted=wanted)
        results.capped = capped
        results.total = min(sum(filtered.values()), COUNT_CAP)
    else:
        results.total = min(sum(facets.values()), COUNT_CAP)
    paginator = Paginator(_HitList(run, results.total), PER_PAGE)
    results.page = paginator.get_page(page)
    if not results.total:
        results.suggestions = suggestions(query)
    return results


def _page_number(page):
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


def _facet_counts(facets):
    by_kind, by_topic = {}, {}
    for (kind, topic_id), count in facets.items():
        by_kind[kind] = by_kind.get(kind, 0) + count
        by_topic[topic_id] = by_topic.get(topic_id, 0) + count
    return by_kind, by_topic


def _load(hits, query, language):
    highlight = snippets.Highlighter(query.highlight_words())
    typed = snippets.Highlighter([term.text for term in query.terms])
    shown = {}
    for name, kind in kinds().items():
        ids = [object_id for _doc, found, object_id in hits if found == name]
        if ids:
            shown.update({(name, pk): page for pk, page in kind.shown(ids).items()})
    return [
        _hit(kinds()[kind], shown[kind, object_id], language, highlight, typed)
        for _doc, kind, object_id in hits
        if (kind, object_id) in shown
    ]


def _hit(kind, page, language, highlight, typed):
    """``highlight`` marks every form that matched; ``typed`` (the words as typed) tells which language the
    match was in, so a Chinese word found through the glossary still shows the Chinese title beside."""
    other = next(code for code, _name in settings.LANGUAGES if code != language)
    own, theirs = page.texts.get(language, ("", "", "")), page.texts.get(other, ("", "", ""))
    shown_lang, shown = (language, own) if own[0] else (other, theirs)
    # Searching the HTML is enough to tell where the words are; only the snippet's text is made plain.
    # The other language is only read when the words are not in this one.
    only_other = not any(typed.finds(text) for text in own) and any(typed.finds(text) for text in theirs)
    snippet_lang, (_title, summary, body_html) = (other, theirs) if only_other else (language, own)
    return Hit(
        kind=kind.name,
        kind_label=kind.label,
        url=page.url,
        title=highlight.mark(shown[0]),
        title_lang=shown_lang,
        other_title=theirs[0] if theirs[0] != shown[0] else "",
        other_lang=other,
        matched_other_language=only_other,
        topic_id=page.topic_id,
        snippet=highlight.snippet(summary, body_html),
        snippet_lang=snippet_lang,
    )


def suggestions(query, limit=5):
    """Synonyms (glossary terms) and other names (topics, tags) spelled closest to the query, for a search
    that found nothing."""
    candidates = dict(spellings())
    for name in suggestion_words():
        candidates.setdefault(normalize(name), name)
    typed = " ".join(words(query.text)) or normalize(query.text)
    close = difflib.get_close_matches(typed, list(candidates), n=limit, cutoff=0.6)
    if not close:
        # One mistyped word among several: look for each word on its own.
        for word in query.words:
            close.extend(difflib.get_close_matches(word, list(candidates), n=2, cutoff=0.75))
    return [candidates[key] for key in dict.fromkeys(close)][:limit]
