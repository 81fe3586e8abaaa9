"""A search with more than 200 matches: "More than 200 results", tiers still in order on every page, filters
that narrow it counted exactly again."""

import re
from datetime import timedelta

import pytest
from django.db.models import prefetch_related_objects
from django.utils import timezone

from kb.models import Article
from kb.tests.factories import make_topic
from search import index

pytestmark = pytest.mark.django_db


def pages(topic, count, *, words, where="body", start=0, age=timedelta(0)):
    """``count`` published articles of ``topic`` holding ``words`` in ``where``, one minute apart, the first
    ``age`` old; saved in bulk (no rendering: their HTML is given) and indexed as every write path does."""
    now = timezone.now() - age
    articles = []
    for number in range(start, start + count):
        texts = {"title": f"Page {number}", "summary": "Plain.", "body": "Plain."}
        texts[where] = f"{texts[where]} {words}"
        articles.append(
            Article(
                slug=f"page-{number}",
                topic=topic,
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=number - start),
                title_en=texts["title"],
                summary_en=texts["summary"],
                body_en=texts["body"],
                body_html_en=f"<p>{texts['body']}</p>",
            )
        )
    saved = Article.objects.bulk_create(articles)
    prefetch_related_objects(saved, "tags")
    index.update(*saved)
    return saved


def listed(client, query, page=1, **filters):
    html = client.get("/en/search/", {"q": query, "page": page, **filters}).content.decode()
    return re.findall(r'href="/en/articles/(page-\d+)/"', html), html


def test_more_than_200_matches_list_titles_then_summaries_then_the_newest_others(client):
    topic = make_topic()
    body = pages(topic, 205, words="the dingo")
    summaries = pages(topic, 4, words="a dingo", where="summary", start=300, age=timedelta(days=30))
    titles = pages(topic, 3, words="Dingo", where="title", start=400, age=timedelta(days=60))
    first, html = listed(client, "dingo")
    assert "More than 200 results for" in html
    assert first == [page.slug for page in [*titles, *summaries]] + [page.slug for page in body[:3]]
    assert '<span class="muted">(' not in html  # the filters are listed without counts
    shown = [slug for number in range(1, 21) for slug in listed(client, "dingo", number)[0]]
    assert len(shown) == len(set(shown)) == 200
    assert shown[7:] == [page.slug for page in body[:193]]  # newest first
    assert listed(client, "dingo", 99)[0] == shown[190:]  # past the end: the last page


def test_a_tier_of_more_than_200_fills_every_page_newest_first(client):
    topic = make_topic()
    titles = pages(topic, 203, words="Dingo", where="title")
    pages(topic, 2, words="a dingo", where="summary", start=300)
    shown = [slug for number in range(1, 21) for slug in listed(client, "dingo", number)[0]]
    assert shown == [page.slug for page in titles[:200]]


def test_a_filter_narrowing_more_than_200_matches_is_counted_exactly(client):
    crowded, quiet = make_topic(), make_topic()
    pages(crowded, 205, words="the dingo")
    few = pages(quiet, 3, words="the dingo", start=300, age=timedelta(days=1))
    slugs, html = listed(client, "dingo", topic=quiet.slug)
    assert "3 results for" in html and slugs == [page.slug for page in few]
    slugs, html = listed(client, "dingo", kind="article")
    assert "More than 200 results for" in html and len(slugs) == 10
