from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info

from kb import content_version, languages
from kb.permissions import can_author


def authoring(request):
    """``can_author`` for templates, read only on pages that ask (it costs a query for a signed-in user)."""
    return {"can_author": SimpleLazyObject(lambda: can_author(request.user))}


GLOSSARY_MARKS_COOKIE = "glossary_marks"


def glossary_marks(request):
    """``show_terms``: whether the reader wants glossary terms marked in the text (a cookie remembers "off")."""
    return {"show_terms": request.COOKIES.get(GLOSSARY_MARKS_COOKIE) != "off"}


THEME_COOKIE = "theme"
THEMES = ("light", "dark")
# When the dark stylesheets apply (their ``media``), for each choice; static/js/site.js keeps the same table.
DARK_MEDIA = {"auto": "(prefers-color-scheme: dark)", "light": "not all", "dark": "all"}


def theme(request):
    """``theme``: the colours the reader chose ("light" or "dark"), or "auto" (follow the system), from a cookie;
    anything else in the cookie counts as "auto". ``dark_media``: when the dark stylesheets apply. The page is
    rendered with the choice, so it never shows the other colours first."""
    chosen = request.COOKIES.get(THEME_COOKIE)
    chosen = chosen if chosen in THEMES else "auto"
    return {"theme": chosen, "dark_media": DARK_MEDIA[chosen]}


SHARE_IMAGE = "img/share.png"  # 1200 × 630, made by `make share-image`


def sharing(request):
    """What search engines and share previews read: the page's canonical address (absolute, its query string
    dropped except the page number of a list) and the site's share image."""
    # The path is joined to this site's address, never read as a URL of its own: //other.example/ is a path
    # here (a 404), not another site.
    url = request.build_absolute_uri("/") + iri_to_uri(request.path.lstrip("/"))
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += f"?page={int(page)}"
    return {"canonical_url": url, "share_image_url": request.build_absolute_uri(static(SHARE_IMAGE))}


def language_versions(request):
    """The current language as a BCP 47 tag, and the same page in every language (switcher, hreflang)."""
    current = languages.current()
    path = request.get_full_path_info()
    versions = []
    for code in languages.codes():
        url = languages.url_in(path, code)
        versions.append(
            {
                "code": code,
                "hreflang": languages.bcp47(code),
                "name_local": get_language_info(code)["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "is_current": code == current,
            }
        )
    return {
        "default_language": settings.LANGUAGE_CODE,
        "html_lang": languages.bcp47(current),
        "og_locale": languages.open_graph_locale(current),
        "og_locale_alternates": [languages.open_graph_locale(code) for code in languages.others(current)],
        "language_versions": versions,
        "other_language_versions": [v for v in versions if not v["is_current"]],
        # This page, for forms that come back to it (the colour buttons): only ever a page of this site.
        "current_url": next((v["url"] for v in versions if v["is_current"]), "/"),
    }


def fragment_cache(request):
    """For ``{% cache %}`` around the costly parts of pages (an article's body and contents, the glossary
    index): the content version, read only when a page asks (kb.content_version), so a fragment is stored
    once per version and every content change makes it miss; and how long one is kept at most."""
    return {
        "content_version": SimpleLazyObject(lambda: content_version.current().key),
        "fragment_seconds": settings.PAGE_CACHE_SECONDS,
    }
