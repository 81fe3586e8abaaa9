"""Keeping the index current. The code that writes a page calls update() (or remove(), before deleting it):
a page is indexed while its kind's entry() says it belongs in the index, and removed otherwise.

A document's id is its freshness key (see search.models): a page whose publication time changes gets a new
one. Search reads the analysed text (search.analysis); PostgreSQL also stems the English text.
"""

from datetime import UTC, datetime

from django.db import transaction

from search.analysis import analyse
from search.documents import FIELDS, kind_of, kinds
from search.models import Document
from search.query import engine

ENGLISH = "en"  # the language PostgreSQL also reads with its English configuration
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def freshness_key(published_at):
    """Microseconds since 1970 (exact: a float would lose the last microseconds)."""
    since = published_at - EPOCH
    return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds


def _free_keys(entries):
    """A freshness key per entry, moved on by one while another page (or another of ``entries``) holds it."""
    wanted = [freshness_key(entry.published_at) for entry in entries]
    taken = set(Document.objects.filter(id__in=wanted).values_list("id", flat=True))
    checked, keys = set(wanted), []
    for key in wanted:
        while key in taken:
            key += 1
            if key not in checked:
                checked.add(key)
                if Document.objects.filter(id=key).exists():
                    taken.add(key)
        taken.add(key)
        keys.append(key)
    return keys


def _add(entries):
    """Index pages that are not in the index yet: one statement for the documents, one for their text."""
    if not entries:
        return
    current, documents, texts = engine(), [], []
    for key, entry in zip(_free_keys(entries), entries, strict=True):
        analysed = {name: analyse("\n".join(entry.texts.get(name, {}).values())) for name in FIELDS}
        english = {name: entry.texts.get(name, {}).get(ENGLISH, "") for name in FIELDS}
        documents.append(
            Document(
                id=key,
                kind=entry.kind,
                object_id=entry.object_id,
                topic_id=entry.topic_id,
                published_at=entry.published_at,
                **current.columns(analysed, english),
            )
        )
        texts.append((key, analysed))
    Document.objects.bulk_create(documents)
    current.add_text(texts)


def _remove(kind, object_ids):
    ids = list(Document.objects.filter(kind=kind, object_id__in=object_ids).values_list("id", flat=True))
    engine().remove_text(ids)
    Document.objects.filter(id__in=ids).delete()


@transaction.atomic
def update(*pages):
    """Index each page as it now stands (even one scheduled for later: search lists no page before its
    publication time), or take it out when it no longer belongs in the index (a draft)."""
    entries = []
    for kind, group in _by_kind(pages):
        _remove(kind.name, [page.pk for page in group])
        entries += [entry for entry in map(kind.entry, group) if entry is not None]
    _add(entries)


def _by_kind(pages):
    groups = {}
    for page in pages:
        groups.setdefault(kind_of(page), []).append(page)
    return groups.items()


@transaction.atomic
def remove(*pages):
    """Take pages out of the index; call it before deleting them, while they still have their ids."""
    for kind, group in _by_kind(pages):
        _remove(kind.name, [page.pk for page in group])


def update_topic(topic_id):
    """Index again every page of a topic (after its name changed: pages are found by their topic's name)."""
    for name, kind in kinds().items():
        ids = Document.objects.filter(kind=name, topic_id=topic_id).values_list("object_id", flat=True)
        update(*kind.indexed().filter(pk__in=list(ids)))


@transaction.atomic
def rebuild(progress=None, batch_size=500):
    """Index every page again, from nothing; returns how many pages are indexed."""
    engine().remove_text(None)
    Document.objects.all().delete()
    pages = [kind.indexed() for kind in kinds().values()]
    total, done, batch = sum(queryset.count() for queryset in pages), 0, []
    for queryset in pages:
        for page in queryset.iterator(chunk_size=batch_size):
            entry = kind_of(page).entry(page)
            if entry is not None:
                batch.append(entry)
            if len(batch) == batch_size:
                _add(batch)
                done, batch = done + len(batch), []
                if progress:
                    progress(done, total)
    _add(batch)
    done += len(batch)
    if progress:
        progress(done, total)
    return done
