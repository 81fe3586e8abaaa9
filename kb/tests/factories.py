"""Small builders for test data: each returns a saved object with sensible defaults."""

import itertools
from datetime import timedelta

from django.utils import timezone

from kb.models import Article, Tag, Topic
from kb.services import article_save
from search import index

_numbers = itertools.count(1)


def make_topic(**fields):
    n = next(_numbers)
    defaults = {"slug": f"topic-{n}", "name_en": f"Topic {n}", "name_zh_hant": f"主題 {n}", "order": n}
    return Topic.objects.create(**{**defaults, **fields})


def make_tag(**fields):
    n = next(_numbers)
    return Tag.objects.create(**{"slug": f"tag-{n}", "name_en": f"Tag {n}", "name_zh_hant": f"標籤 {n}", **fields})


def make_article(*, topic=None, tags=(), languages=("en", "zh-hant"), **fields):
    n = next(_numbers)
    defaults = {
        "slug": f"article-{n}",
        "topic": topic or make_topic(),
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(days=1, minutes=n),
    }
    if "en" in languages:
        defaults |= {
            "title_en": f"Article {n}",
            "summary_en": f"Summary of article {n}.",
            "body_en": f"## First section\n\nEnglish body of article {n}.\n",
        }
    if "zh-hant" in languages:
        defaults |= {
            "title_zh_hant": f"文章 {n}",
            "summary_zh_hant": f"文章 {n} 的摘要。",
            "body_zh_hant": f"## 第一節\n\n文章 {n} 的中文內容。\n",
        }
    article = Article(**{**defaults, **fields})
    article_save(article=article)
    if tags:
        article.tags.set(tags)
    index.update(article)  # as every write path does (admin, import)
    return article
