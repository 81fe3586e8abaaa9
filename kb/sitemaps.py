from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from courses.models import Course
from kb.models import Article, Topic


class TranslatedSitemap(Sitemap):
    """Every URL once per language, each with ``hreflang`` links to the others."""

    i18n = True
    alternates = True
    x_default = True


class PageSitemap(TranslatedSitemap):
    changefreq = "daily"

    def items(self):
        return ["kb:home", "kb:article-list", "courses:catalogue"]

    def location(self, item):
        return reverse(item)


class TopicSitemap(TranslatedSitemap):
    def items(self):
        return Topic.objects.all()


class ArticleSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class CourseSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Course.objects.published().order_by("order", "pk")

    def lastmod(self, item):
        return item.updated_at


sitemaps = {"pages": PageSitemap, "topics": TopicSitemap, "articles": ArticleSitemap, "courses": CourseSitemap}
