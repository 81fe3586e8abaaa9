"""What search finds, as the apps declare it. Search knows no app's models: each app lists on its AppConfig

- ``search_documents``: the kinds of page it contributes (dotted paths to DocumentKind subclasses);
- ``search_synonyms``: a SynonymSource: groups of spellings that mean the same (a glossary entry's term and
  aliases in every language), for query expansion and for "Did you mean";
- ``search_words``: a function returning more names worth suggesting (topics, tags).

A kind says which pages belong in the index, what their text is (plain text per field and language) and
what a result shows of them.
"""

from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.apps import apps
from django.utils.module_loading import import_string

FIELDS = ("title", "summary", "tags", "body")


@dataclass(frozen=True)
class Entry:
    """A page as the index stores it. ``texts``: field (FIELDS) -> {language code: plain text}; ``tags``
    holds the names of the page's tags and topic."""

    kind: str
    object_id: int
    topic_id: int | None
    published_at: object  # a datetime: search lists no page before it
    texts: dict


class Match(NamedTuple):
    """A page as a search reads it from the index (``id``: the document's, see search.models)."""

    id: int
    kind: str
    object_id: int
    topic_id: int | None


@dataclass(frozen=True)
class Shown:
    """What a result shows of a page: its address, topic, and per language code (title, summary, HTML)."""

    url: str
    topic_id: int | None
    texts: dict


class DocumentKind:
    """One kind of page. Subclasses set the three names and implement the three methods."""

    name = ""  # stored in the index and used in search URLs (?kind=article)
    label = ""  # what a reader sees: "Article"
    model = ""  # "app_label.ModelName"

    def indexed(self):
        """Every page of this kind that belongs in the index, ready for entry() (a queryset, for rebuilds)."""
        raise NotImplementedError

    def entry(self, page):
        """What the index holds of ``page`` (an Entry), or None when it does not belong in the index."""
        raise NotImplementedError

    def shown(self, ids):
        """``{id: Shown}`` of the pages with these ids (one query)."""
        raise NotImplementedError


@cache
def kinds():
    """``{name: DocumentKind}`` of every installed app, in INSTALLED_APPS order."""
    found = {}
    for app in apps.get_app_configs():
        for path in getattr(app, "search_documents", ()):
            kind = import_string(path)()
            found[kind.name] = kind
    return found


def kind_of(page):
    """The kind whose model ``page`` is an instance of, or None."""
    label = page._meta.label
    return next((kind for kind in kinds().values() if kind.model == label), None)


def choices():
    """``[(name, label)]`` of every kind, for the kind filter."""
    return [(kind.name, kind.label) for kind in kinds().values()]


class SynonymSource:
    """Spellings that mean the same, as an app keeps them (search.synonyms reads them)."""

    def version(self):
        """A value that changes whenever groups() would change (one small query): the groups are read again
        only then."""
        raise NotImplementedError

    def groups(self):
        """Every group of spellings that mean the same, in any language (an iterable of lists)."""
        raise NotImplementedError


def _declared(attribute):
    return [import_string(path) for app in apps.get_app_configs() if (path := getattr(app, attribute, None))]


def synonym_sources():
    return [source() for source in _declared("search_synonyms")]


def suggestion_words():
    """Names worth suggesting for a search that found nothing, besides the synonyms' spellings."""
    return [word for words in _declared("search_words") for word in words()]
