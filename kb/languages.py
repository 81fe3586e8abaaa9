"""The site's languages as the rest of the code needs them: codes, field suffixes and BCP 47 tags."""

from functools import cache, lru_cache
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language_from_path
from modeltranslation.utils import build_localized_fieldname


def codes():
    return [code for code, _name in settings.LANGUAGES]


@cache
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


def current():
    """The active language, normalised to one of ``settings.LANGUAGES``."""
    return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)


def others(language):
    return [code for code in codes() if code != language]


def url_in(url, language):
    """The same page in ``language``, its query string kept. Paths that do not resolve (a 404) get their
    language prefix swapped."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=_path_in(parts.path, language, *_url_state())))


def page_url(name, **kwargs):
    """reverse() of a named page in the active language, kept like url_in()'s answers: a page of search
    results reverses ten URLs."""
    return _reversed(name, tuple(kwargs.items()), *_url_state())


def _url_state():
    """What resolving and reversing a URL depend on besides its path or name, and so the key of the answers
    kept below: the active language (i18n_patterns), the URLconf and the script prefix."""
    return translation.get_language(), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


# Resolving and reversing a URL cost 50-150 µs; every page asks for its own path in each language (the
# switcher, hreflang links), and a page of results for the URL of each hit.
@lru_cache(maxsize=1024)
def _path_in(path, language, active, urlconf, script_prefix):
    translated = translate_url(path, language)
    current = get_language_from_path(path)
    if translated == path and current and current != language:
        translated = f"/{language}/{path[len(current) + 2 :]}"
    return translated


@lru_cache(maxsize=4096)
def _reversed(name, kwargs, active, urlconf, script_prefix):
    return reverse(name, kwargs=dict(kwargs))


def codes_and_names():
    """``[(code, name in the reader's language), ...]``."""
    return list(settings.LANGUAGES)
