"""The sitemap: the site's main pages, then what each app registers in its AppConfig's ``sitemaps``
(``{"section": "dotted.path.ToSitemap"}``), in INSTALLED_APPS order."""

from django.apps import apps
from django.urls import reverse
from django.utils.module_loading import import_string

from kb.sitemaps import TranslatedSitemap


class PageSitemap(TranslatedSitemap):
    changefreq = "daily"

    def items(self):
        return ["home", "kb:article-list", "courses:catalogue", "kb:glossary"]

    def location(self, item):
        return reverse(item)


def sitemaps():
    found = {"pages": PageSitemap}
    for app in apps.get_app_configs():
        for section, path in getattr(app, "sitemaps", {}).items():
            found[section] = import_string(path)
    return found
