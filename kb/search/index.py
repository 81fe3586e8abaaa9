"""Keeping the index current: a page is indexed while it is published, and removed otherwise."""

from django.db import transaction

from kb.search.documents import article_document, course_document


def _engine():
    from kb.search import backend

    return backend()


def _store(document):
    from kb.models import SearchDocument

    row, _created = SearchDocument.objects.update_or_create(
        kind=document.kind, object_id=document.object_id, defaults=document.model_fields()
    )
    _engine().write(row.pk, document)


def remove(kind, object_id):
    from kb.models import SearchDocument

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


def store_many(documents):
    """Index many new documents at once (rebuilds, benchmarks): one insert and one batch of vector updates."""
    from kb.models import SearchDocument

    rows = SearchDocument.objects.bulk_create(
        SearchDocument(kind=document.kind, object_id=document.object_id, **document.model_fields())
        for document in documents
    )
    _engine().write_many([(row.pk, document) for row, document in zip(rows, documents, strict=True)])


@transaction.atomic
def rebuild(progress=None, batch_size=500):
    """Drop the whole index and index every published article and course again; returns the count."""
    from courses.models import Course
    from kb.models import Article, SearchDocument

    _engine().clear()
    SearchDocument.objects.all().delete()
    articles = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
    courses = Course.objects.published()
    total = articles.count() + courses.count()
    done, batch = 0, []

    def flush():
        nonlocal done, batch
        store_many(batch)
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
