from django.conf import settings
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
        "language_versions": versions,
        "other_language_versions": [v for v in versions if not v["is_current"]],
    }


def fragment_cache(request):
    """For ``{% cache %}`` around the costly parts of pages (an article's body and contents, the glossary
    index): the content version, read only when a page asks (kb.content_version), so a fragment is stored
    once per version and every content change makes it miss; and how long one is kept at most."""
    return {
        "content_version": SimpleLazyObject(lambda: content_version.current().key),
        "fragment_seconds": settings.PAGE_CACHE_SECONDS,
    }
