"""The site's languages as the rest of the code needs them: codes, field suffixes and BCP 47 tags."""

from functools import cache

from django.conf import settings
from django.urls import translate_url
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


def url_in(path, language):
    """The same page in ``language``. Paths that do not resolve (a 404) get their language prefix swapped."""
    url = translate_url(path, language)
    current = get_language_from_path(path)
    if url == path and current and current != language:
        url = f"/{language}/{path[len(current) + 2 :]}"
    return url


def codes_and_names():
    """``[(code, name in the reader's language), ...]``."""
    return list(settings.LANGUAGES)
