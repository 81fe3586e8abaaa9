"""A search: the query analysed (search.analysis), its matches read tier by tier from the engine of the
database in use (search.postgres, search.sqlite), one page of them loaded from their apps and given snippets.

What a reader sees, in this order (the *tiers*):
1. pages whose title holds the query's words as a phrase (load balancer, 容器 映像檔, kubeadm 升級);
2. pages whose title holds the words;
3. pages whose summary, tags or topic hold them;
4. pages that hold them anywhere else;
each tier newest first. Every query word must be found (a glossary term or its translation).

The tiers are read in this order, each in any order, until COUNT_CAP + 1 matches are found: that is every
match unless there are more than COUNT_CAP, when the page says "More than 200 results" and the list stops at
COUNT_CAP. A page of hits is cut from those reads, except where it reaches into the tier the reading stopped
in: that tier is read again, newest first, for the page (no later tier is ever shown).
"""

import difflib
from collections import Counter
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
# Matches are counted up to here; beyond, "More than 200 results". Twenty pages are more than anyone reads: a
# search this broad wants narrowing (the topic and kind filters stay, without their counts).
COUNT_CAP = 200
TIERS = ("title phrase", "title", "headline", "body")


def engine():
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
    capped: bool = False  # more than COUNT_CAP matches
    counted: bool = False  # whether by_kind and by_topic count every match of the search without its filters
    suggestions: list = field(default_factory=list)

    @property
    def hits(self):
        return self.page.object_list if self.page else []


class _HitList:
    """The hits in order, as the paginator slices them: each slice is cut from the tiers' matches, reading
    the tier the counting stopped in (``cut``) again, newest first, when the slice reaches into it."""

    def __init__(self, tiers, cut, total, read_newest, load):
        self._tiers, self._cut, self._total = tiers, cut, total
        self._read_newest, self._load = read_newest, load

    def __len__(self):
        return self._total

    def __getitem__(self, window):
        rows, position = [], 0
        for tier in TIERS:
            start = max(0, window.start - position)
            if tier == self._cut:
                rows += self._read_newest(tier, limit=window.stop - window.start - len(rows), offset=start)
                break
            found = self._tiers[tier]
            rows += sorted(found, key=lambda row: row.id, reverse=True)[start : max(0, window.stop - position)]
            position += len(found)
            if position >= window.stop:
                break
        return self._load(rows)


def search(text, *, language, topic=None, kind=None, page=1):
    """One page of results for ``text`` read in ``language``; ``topic`` (an id) and ``kind`` filter them."""
    text = (text or "")[:MAX_QUERY_LENGTH]
    query = parse(text, expansions())
    results = Results(query=query)
    if query.is_empty or query.common_words:
        return results
    read = engine().Reader(query, now=timezone.now())
    every, cut = _first_matches(read)
    results.by_kind, results.by_topic = _facets(every)
    results.counted = cut is None
    found = every
    if (topic or kind) and cut is None:  # every match is known: filter them here
        found = {
            tier: [row for row in rows if (not topic or row.topic_id == topic) and (not kind or row.kind == kind)]
            for tier, rows in every.items()
        }
    elif topic or kind:
        found, cut = _first_matches(read, topic_id=topic, kind=kind)
    total = sum(len(rows) for rows in found.values())
    results.capped, results.total = cut is not None, min(total, COUNT_CAP)

    def read_newest(tier, limit, offset):
        return read.newest(tier, limit=limit, offset=offset, topic_id=topic, kind=kind)

    def load(rows):
        return _load(rows, query, language)

    hits = _HitList(found, cut, results.total, read_newest, load)
    results.page = Paginator(hits, PER_PAGE).get_page(page)
    if not results.total:
        results.suggestions = suggestions(query)
    return results


def _first_matches(read, **filters):
    """(``{tier: [Match]}``, the tier the reading stopped in or None): the tiers in order, each in any order,
    until COUNT_CAP + 1 matches are found (then the last tier read may hold more; later ones are not read)."""
    found, wanted, cut = {}, COUNT_CAP + 1, None
    for tier in TIERS:
        found[tier] = read.matches(tier, limit=wanted, **filters) if wanted else []
        wanted -= len(found[tier])
        if not wanted and cut is None:
            cut = tier
    return found, cut


def _facets(tiers):
    """Matches per kind and per topic (every match's when the reads hold them all)."""
    rows = [row for found in tiers.values() for row in found]
    return dict(Counter(row.kind for row in rows)), dict(Counter(row.topic_id for row in rows))


def _load(rows, query, language):
    """The hits of these rows: each kind loads its pages (one query per kind), then snippets are made."""
    highlight = snippets.Highlighter(query.highlight_words())
    typed = snippets.Highlighter([term.text for term in query.terms])
    shown = {}
    for name, kind in kinds().items():
        ids = [row.object_id for row in rows if row.kind == name]
        if ids:
            shown.update({(name, pk): page for pk, page in kind.shown(ids).items()})
    return [
        _hit(kinds()[row.kind], shown[row.kind, row.object_id], language, highlight, typed)
        for row in rows
        if (row.kind, row.object_id) in shown
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
