"""The knowledge base's entries in the sitemap (registered in KbConfig.sitemaps; config/sitemaps.py gathers
every app's)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from kb import glossary_index, languages
from kb.models import Article, GlossaryTerm, Tag, Topic


class TranslatedSitemap(Sitemap):
    """Every URL once per language, each with ``hreflang`` links to the others."""

    i18n = True
    alternates = True
    x_default = True


class TopicSitemap(TranslatedSitemap):
    def items(self):
        return Topic.objects.all()


class ArticleSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class TagSitemap(TranslatedSitemap):
    def items(self):
        return Tag.objects.order_by("slug")


class GlossaryGroupSitemap(Sitemap):
    """The glossary's group pages. Each language files terms under its own groups (A–Z, 注音), so a page
    has no counterpart in the other language to link as an alternate."""

    def items(self):
        terms = list(
            GlossaryTerm.objects.only("slug", *(languages.localized("term", code) for code in languages.codes()))
        )
        return [(code, group.key) for code in languages.codes() for group in glossary_index.groups(terms, code)]

    def location(self, item):
        code, group = item
        with translation.override(code):
            return reverse("kb:glossary-group", kwargs={"group": group})
