"""Every reader's page takes as many queries with 10,000 articles as with 10, rendered afresh (not from the
page cache) for an anonymous reader and for a signed-in one."""

import itertools
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.tests.factories import make_course
from kb import content_version
from kb.models import Article, GlossaryTerm, Tag
from kb.tests.factories import make_article, make_tag, make_topic

pytestmark = pytest.mark.django_db

PAGES = [
    "/en/", "/en/articles/", "/en/articles/?page=2", "/zh-hant/topics/{topic}/", "/en/tags/{tag}/",
    "/zh-hant/articles/{article}/", "/en/articles/{article}/side-by-side/", "/en/glossary/", "/zh-hant/glossary/",
    "/en/glossary/c/", "/en/courses/", "/en/courses/{course}/", "/zh-hant/courses/{course}/lessons/lesson-1/",
    "/en/courses/{course}/lessons/lesson-1/side-by-side/", "/en/feed/",
]  # fmt: skip
# Search is left out: its statements depend on the size of the index by design (docs/architecture.md).

_numbers = itertools.count(1)


def add_articles(count, topic, tag):
    """``count`` published articles in bulk (no rendering: the pages list them, the bodies are not the point)."""
    now = timezone.now()
    articles = Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n}",
            topic=topic,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(days=2, minutes=n),
            title_en=f"Bulk article {n}",
            title_zh_hant=f"大量文章 {n}",
            summary_en="A summary.",
            body_en="Text.",
            body_zh_hant="內容。",
            body_html_en="<p>Text.</p>",
            body_html_zh_hant="<p>內容。</p>",
        )
        for n in (next(_numbers) for _ in range(count))
    )
    Article.tags.through.objects.bulk_create(Article.tags.through(article=a, tag=tag) for a in articles)
    GlossaryTerm.objects.get(slug="container").used_in.add(*articles[:500])


def count(client, path):
    for cache in caches.all():
        cache.clear()
    content_version.forget()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "signed in"])
def test_queries_do_not_grow_from_10_to_10000_articles(django_user_model, signed_in):
    client = Client()
    if signed_in:
        client.force_login(django_user_model.objects.create_user("reader", password="x"))
    topic, tag = make_topic(slug="kubernetes"), make_tag(slug="docker")
    GlossaryTerm.objects.create(slug="container", term_en="Container", term_zh_hant="容器", definition_en="A box.")
    course = make_course(lessons=2, topic=topic)
    article = make_article(topic=topic, tags=[tag])
    Tag.objects.get(pk=tag.pk).articles.add(*course.lessons.get(order=1).articles.all())
    add_articles(10 - Article.objects.count(), topic, tag)
    assert Article.objects.published().count() == 10
    slugs = {"topic": topic.slug, "tag": tag.slug, "article": article.slug, "course": course.slug}
    # The sitemap (20,000 addresses) once: it is the same page whoever asks.
    pages = [page.format(**slugs) for page in PAGES] + ([] if signed_in else ["/sitemap.xml"])
    small = {page: count(client, page) for page in pages}
    add_articles(9_990, topic, tag)
    large = {page: count(client, page) for page in pages}
    assert large == small
