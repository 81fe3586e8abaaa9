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


@transaction.atomic
def rebuild(progress=None):
    """Drop the whole index and index every published article and course again; returns the count."""
    from courses.models import Course
    from kb.models import Article, SearchDocument

    _engine().delete(list(SearchDocument.objects.values_list("pk", flat=True)))
    SearchDocument.objects.all().delete()
    articles = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
    courses = Course.objects.published()
    total = articles.count() + courses.count()
    done = 0
    for article in articles.select_related("topic").prefetch_related("tags").iterator(chunk_size=500):
        _store(article_document(article))
        done += 1
        if progress:
            progress(done, total)
    for course in courses.select_related("topic").prefetch_related("lessons"):
        _store(course_document(course))
        done += 1
        if progress:
            progress(done, total)
    return done
