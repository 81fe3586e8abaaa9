"""Bilingual search on the database's own full-text engine (PostgreSQL tsvector, SQLite FTS5).

``search()`` analyses the query (search.analysis), asks the backend of the current database for one
page of ranked hits and the match counts per kind and topic, then loads the pages found and builds their
snippets. Nothing loops over the index in Python.
"""

import difflib
from dataclasses import dataclass, field

from django.apps import apps as django_apps
from django.core.paginator import Paginator
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kb import glossary_marks, languages
from search import postgres, snippets, sqlite
from search.analysis import normalize, parse, words
from search.glossary import expansions, spellings

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Counting every match of a common word costs as much as finding them all; beyond this, "More than 200".
# A learner does not page through twenty pages of results; a search this broad wants narrowing (the topic
# and kind filters stay, without their counts). Each match counted past the first page costs PostgreSQL
# about 8 µs when the query holds a phrase (see docs/performance.md).
COUNT_CAP = 200


def backend():
    return postgres if connection.vendor == "postgresql" else sqlite


# What a result shows of each kind: its model, the field of its rendered text and the name of its page's URL
# (the one the model's get_absolute_url() reverses: building a model to call it costs ten times the reverse).
KINDS = {
    "article": ("kb.Article", "body_html", "kb:article-detail"),
    "course": ("courses.Course", "description_html", "courses:course-detail"),
}


@dataclass
class Hit:
    kind: str
    slug: str
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
    topics: dict = field(default_factory=dict)  # every topic by id, for the hits and the facets

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
        found = engine.hits(query, topic_id=topic.pk if topic else None, kind=kind, now=now, limit=limit, offset=offset)
        return _load(found, query, language, results.topics)

    # The hits up to the page asked for: an engine that orders its matches while counting them (PostgreSQL,
    # for few matches) then needs no second statement. A page number past the last page gives the last page.
    wanted = PER_PAGE * min(_page_number(page), COUNT_CAP // PER_PAGE + 1)
    facets, capped = engine.facets(query, now=now, cap=COUNT_CAP, wanted=0 if topic or kind else wanted)
    results.by_kind, results.by_topic = _facet_counts(facets)
    results.capped = capped
    if topic or kind:
        filtered, capped = engine.facets(
            query, now=now, cap=COUNT_CAP, topic_id=topic.pk if topic else None, kind=kind, wanted=wanted
        )
        results.capped = capped
        results.total = min(sum(filtered.values()), COUNT_CAP)
    else:
        results.total = min(sum(facets.values()), COUNT_CAP)
    if results.by_topic:
        results.topics = _topics()
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


def _load(hits, query, language, topics):
    highlight = snippets.Highlighter(query.highlight_words())
    typed = snippets.Highlighter([term.text for term in query.terms])
    rows = _rows(hits)
    return [
        _hit(kind, rows[kind, object_id], language, highlight, typed, topics)
        for _doc, kind, object_id in hits
        if (kind, object_id) in rows
    ]


def _topics():
    """Every topic by id (a handful), for the hits and the facets. Read with a statement written here: the
    ORM spends longer compiling its query (0.5 ms) than the database takes to answer."""
    from kb.models import Topic

    names = [field.attname for field in Topic._meta.concrete_fields]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {quote(Topic._meta.db_table)}")
        topics = [Topic.from_db(connection.alias, names, row) for row in cursor.fetchall()]
    return {topic.pk: topic for topic in topics}


def _shown(text):
    """(name in a row, model field) of what a result shows, for a kind whose rendered text is ``text``."""
    pairs = [("slug", "slug"), ("topic_id", "topic_id")]
    for code in languages.codes():
        for name, attribute in (("title", "title"), ("summary", "summary"), ("text", text)):
            pairs.append((languages.localized(name, code), languages.localized(attribute, code)))
    return pairs


def _rows(hits):
    """{(kind, id): row} of the pages found, each row a dict of only what a result shows: slug, topic, and
    each language's title, summary and rendered text (``text_en``...). One statement for every kind, written
    here: the ORM would spend longer building ten models than the database takes to find them."""
    quote = connection.ops.quote_name
    selects, params, names = [], [], []
    for kind, (model, text, _url) in KINDS.items():
        ids = [object_id for _doc, found, object_id in hits if found == kind]
        if not ids:
            continue
        model, shown = django_apps.get_model(model), _shown(text)
        names = [name for name, _field in shown]
        columns = ", ".join(quote(model._meta.get_field(attribute).column) for _name, attribute in shown)
        marks = ", ".join(["%s"] * len(ids))
        selects.append(f"SELECT %s, id, {columns} FROM {quote(model._meta.db_table)} WHERE id IN ({marks})")
        params += [kind, *ids]
    if not selects:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(selects), params)
        return {(row[0], row[1]): dict(zip(names, row[2:], strict=True)) for row in cursor.fetchall()}


def _texts(row, code):
    """Title, summary and rendered text (HTML) of one language; the text without its glossary popovers, which
    hold the other language's words."""
    title, summary, text = (row[languages.localized(name, code)] or "" for name in ("title", "summary", "text"))
    return title, summary, glossary_marks.unmark(text)


def _hit(kind, row, language, highlight, typed, topics):
    """``highlight`` marks every form that matched; ``typed`` (the words as typed) tells which language the
    match was in, so a Chinese word found through the glossary still shows the Chinese title beside."""
    other = next(code for code in languages.codes() if code != language)
    own = _texts(row, language)
    theirs = _texts(row, other)
    shown_lang = language if own[0] else other
    shown = own if own[0] else theirs
    # Searching the HTML is enough to tell where the words are; only the snippet's text is made plain.
    # The other language is only read when the words are not in this one.
    only_other = not any(typed.finds(text) for text in own) and any(typed.finds(text) for text in theirs)
    snippet_lang, (_title, summary, body_html) = (other, theirs) if only_other else (language, own)
    return Hit(
        kind=kind,
        slug=row["slug"],
        url=reverse(KINDS[kind][2], kwargs={"slug": row["slug"]}),
        title=highlight.mark(shown[0]),
        title_lang=languages.bcp47(shown_lang),
        other_title=theirs[0] if theirs[0] != shown[0] else "",
        other_lang=languages.bcp47(other),
        matched_other_language=only_other,
        topic=topics.get(row["topic_id"]),
        snippet=highlight.snippet(summary, body_html),
        snippet_lang=languages.bcp47(snippet_lang),
    )


def suggestions(query, limit=5):
    """Glossary terms, topics and tags spelled closest to the query, for a search that found nothing."""
    from kb.models import Tag, Topic

    candidates = dict(spellings())
    for model in (Topic, Tag):
        for names in model.objects.values_list(*(languages.localized("name", code) for code in languages.codes())):
            for name in names:
                if name:
                    candidates.setdefault(normalize(name), name)
    typed = " ".join(words(query.text)) or normalize(query.text)
    close = difflib.get_close_matches(typed, list(candidates), n=limit, cutoff=0.6)
    if not close:
        # One mistyped word among several: look for each word on its own.
        for word in query.words:
            close.extend(difflib.get_close_matches(word, list(candidates), n=2, cutoff=0.75))
    return [candidates[key] for key in dict.fromkeys(close)][:limit]
