"""The site's languages as the rest of the code needs them: codes, field suffixes and BCP 47 tags."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from modeltranslation.utils import build_localized_fieldname


def codes():
    return [code for code, _name in settings.LANGUAGES]


def localized(field_name, language):
    """``localized("title", "zh-hant")`` -> ``"title_zh_hant"``."""
    return build_localized_fieldname(field_name, language)


def bcp47(language):
    """The tag for ``lang`` and ``hreflang`` attributes: ``zh-hant`` -> ``zh-Hant``, ``pt-br`` -> ``pt-BR``."""
    primary, *rest = language.split("-")
    subtags = [primary.lower()]
    for part in rest:
        if len(part) == 4:
            subtags.append(part.title())
        elif len(part) == 2:
            subtags.append(part.upper())
        else:
            subtags.append(part.lower())
    return "-".join(subtags)


# og:locale wants language_TERRITORY: Traditional Chinese as written in Taiwan.
OPEN_GRAPH_LOCALES = {"en": "en_US", "zh-hant": "zh_TW"}


def open_graph_locale(language):
    """``zh-hant`` -> ``zh_TW``, for ``og:locale``."""
    return OPEN_GRAPH_LOCALES.get(language) or language.replace("-", "_")


def current():
    """The active language, normalised to one of ``settings.LANGUAGES``."""
    return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)


def others(language):
    return [code for code in codes() if code != language]


def url_in(url, language):
    """The same page in ``language``, its query string kept. It is built only from a path that resolves to
    a page of this site: anything else (a path no page matches, or one such as ``//other.example/`` that a
    browser would read as another site) gives the home page in ``language``, so that no language link ever
    leads off the site."""
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        try:
            resolve(parts.path)
        except Resolver404:
            pass
        else:
            return urlunsplit(parts._replace(path=translate_url(parts.path, language)))
    with translation.override(language):
        return reverse("home")


def codes_and_names():
    """``[(code, name in the reader's language), ...]``."""
    return list(settings.LANGUAGES)
