"""Keeping the index current: a page is indexed while it is published, and removed otherwise.

A search document's id is its *freshness key*: derived from the publication time, so that ordering by id
is ordering by freshness. Both engines can then list the newest matches by walking ids downwards and stop
after one page, instead of sorting every match (see search.postgres and search.sqlite).
"""

from django.db import transaction

from search.documents import article_document, course_document


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
    from search.models import Document as SearchDocument

    key = freshness_key(document)
    current = SearchDocument.objects.filter(kind=document.kind, object_id=document.object_id).first()
    if current is not None and current.pk // 1024 == key // 1024:
        # Same publication time: keep the id, refresh the text.
        SearchDocument.objects.filter(pk=current.pk).update(**document.model_fields())
        _engine().write(current.pk, document)
        return
    if current is not None:
        remove(document.kind, document.object_id)
    taken = set(SearchDocument.objects.filter(pk__gte=key, pk__lt=key + 1024).values_list("pk", flat=True))
    store_many([document], keys=_free_keys([document], taken))


def store_many(documents, keys=None):
    """Add documents that are not in the index yet (rebuilds, benchmarks): one insert, one batch of writes."""
    from search.models import Document as SearchDocument

    if keys is None:
        wanted = [freshness_key(document) for document in documents]
        taken = set(SearchDocument.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        keys = _free_keys(documents, taken)
    _engine().insert_many(list(zip(keys, documents, strict=True)))


def remove(kind, object_id):
    from search.models import Document as SearchDocument

    ids = list(SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True))
    if ids:
        _engine().delete(ids)
        SearchDocument.objects.filter(pk__in=ids).delete()


def index_article(article):
    """Index a published article (even one scheduled for later: search filters by date), else remove it."""
    if article.status == article.Status.PUBLISHED and article.published_at is not None:
        _store(article_document(article))
    else:
        remove("article", article.pk)


def index_course(course):
    if course.is_published:
        _store(course_document(course))
    else:
        remove("course", course.pk)


@transaction.atomic
def rebuild(progress=None, batch_size=500):
    """Drop the whole index and index every published article and course again; returns the count."""
    from courses.models import Course
    from kb.models import Article
    from search.models import Document as SearchDocument

    _engine().clear()
    SearchDocument.objects.all().delete()
    articles = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
    courses = Course.objects.published()
    total = articles.count() + courses.count()
    done, batch, taken = 0, [], set()

    def flush():
        nonlocal done, batch
        store_many(batch, keys=_free_keys(batch, taken))
        done += len(batch)
        batch = []
        if progress:
            progress(done, total)

    for article in articles.select_related("topic").prefetch_related("tags").iterator(chunk_size=batch_size):
        batch.append(article_document(article))
        if len(batch) >= batch_size:
            flush()
    for course in courses.select_related("topic").prefetch_related("lessons"):
        batch.append(course_document(course))
    flush()
    return done
