"""Keeping the index current. The code that writes a page calls update() (or remove() before deleting it);
a page is indexed while its kind's entry() says it belongs, and removed otherwise.

A search document's id is its *freshness key*: derived from the publication time, so that ordering by id
is ordering by freshness. Both engines can then list the newest matches by walking ids downwards and stop
after one page, instead of sorting every match (see search.postgres and search.sqlite).
"""

from dataclasses import dataclass

from django.db import transaction

from search.analysis import analyse
from search.documents import FIELDS, kind_of, kinds

ENGLISH = "en"  # the language whose text PostgreSQL also stems as English


@dataclass
class _Stored:
    kind: str
    object_id: int
    topic_id: int
    published_at: object
    fields: dict  # field -> analysed text of every language
    english: dict  # field -> the English original, for PostgreSQL's English stemming

    def model_fields(self):
        return {
            "topic_id": self.topic_id,
            "published_at": self.published_at,
            "title_terms": self.fields["title"],
            "summary_terms": self.fields["summary"],
        }


def _stored(entry):
    return _Stored(
        kind=entry.kind,
        object_id=entry.object_id,
        topic_id=entry.topic_id,
        published_at=entry.published_at,
        fields={name: analyse("\n".join(entry.texts.get(name, {}).values())) for name in FIELDS},
        english={name: entry.texts.get(name, {}).get(ENGLISH, "") for name in FIELDS},
    )


def _engine():
    from search import backend

    return backend()


def freshness_key(document):
    """Milliseconds since 1970 of the publication time, with room for 1,024 pages in the same millisecond."""
    milliseconds = int(document.published_at.timestamp() * 1000)
    return milliseconds * 1024 + (document.object_id % 512) * 2 + (document.kind == "course")


def _free_keys(documents, taken):
    """A freshness key per document, moved on by one where it would collide with ``taken`` or each other."""
    keys = []
    for document in documents:
        key = freshness_key(document)
        while key in taken:
            key += 1
        taken.add(key)
        keys.append(key)
    return keys


def _store(document):
    from search.models import Document

    key = freshness_key(document)
    current = Document.objects.filter(kind=document.kind, object_id=document.object_id).first()
    if current is not None and current.pk // 1024 == key // 1024:
        # Same publication time: keep the id, refresh the text.
        Document.objects.filter(pk=current.pk).update(**document.model_fields())
        _engine().write(current.pk, document)
        return
    if current is not None:
        _remove(document.kind, document.object_id)
    taken = set(Document.objects.filter(pk__gte=key, pk__lt=key + 1024).values_list("pk", flat=True))
    store_many([document], keys=_free_keys([document], taken))


def store_many(documents, keys=None):
    """Add documents that are not in the index yet (rebuilds, benchmarks): one insert, one batch of writes."""
    from search.models import Document

    documents = [_stored(document) if not isinstance(document, _Stored) else document for document in documents]
    if keys is None:
        wanted = [freshness_key(document) for document in documents]
        taken = set(Document.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        keys = _free_keys(documents, taken)
    _engine().insert_many(list(zip(keys, documents, strict=True)))


def _remove(kind, object_id):
    from search.models import Document

    ids = list(Document.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True))
    if ids:
        _engine().delete(ids)
        Document.objects.filter(pk__in=ids).delete()


def update(*pages):
    """Index each page as it now stands (even one scheduled for later: search filters by date), or remove
    it when it no longer belongs in the index (a draft)."""
    for page in pages:
        kind = kind_of(page)
        entry = kind.entry(page)
        if entry is None:
            _remove(kind.name, page.pk)
        else:
            _store(_stored(entry))


def remove(*pages):
    """Take pages out of the index; call it before deleting them (while they still have their ids)."""
    for page in pages:
        _remove(kind_of(page).name, page.pk)


def update_topic(topic_id):
    """Index again every page of a topic (after its name changed: pages are found by their topic's name)."""
    from search.models import Document

    for name, kind in kinds().items():
        ids = Document.objects.filter(kind=name, topic_id=topic_id).values_list("object_id", flat=True)
        update(*kind.indexed().filter(pk__in=list(ids)))


@transaction.atomic
def rebuild(progress=None, batch_size=500):
    """Drop the whole index and index every page again; returns the count."""
    from search.models import Document

    _engine().clear()
    Document.objects.all().delete()
    pages = [kind.indexed() for kind in kinds().values()]
    total = sum(queryset.count() for queryset in pages)
    done, batch, taken = 0, [], set()

    def flush():
        nonlocal done, batch
        store_many(batch, keys=_free_keys(batch, taken))
        done += len(batch)
        batch = []
        if progress:
            progress(done, total)

    for queryset in pages:
        for page in queryset.iterator(chunk_size=batch_size):
            entry = kind_of(page).entry(page)
            if entry is not None:
                batch.append(_stored(entry))
            if len(batch) >= batch_size:
                flush()
    flush()
    return done
