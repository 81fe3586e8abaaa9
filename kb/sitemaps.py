"""The knowledge base's entries in the sitemap (registered in KbConfig.sitemaps; config/sitemaps.py gathers
every app's)."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse
from django.utils import translation

from kb import glossary_index, languages
from kb.models import Article, GlossaryTerm, Tag, Topic


class TranslatedSitemap(Sitemap):
    """Every URL once per language, each with ``hreflang`` links to the others, written as the pages write
    them: BCP 47 tags (``zh-Hant``) and the English page as ``x-default`` (Django's own would be the address
    without a language prefix, which only redirects)."""

    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        for url in urls:
            alternates = url.get("alternates", [])
            default = next((a["location"] for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
            for alternate in alternates:
                if alternate["lang_code"] == "x-default":
                    alternate["location"] = default or alternate["location"]
                else:
                    alternate["lang_code"] = languages.bcp47(alternate["lang_code"])
        return urls


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
