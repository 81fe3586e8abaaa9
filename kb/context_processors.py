from django.urls import translate_url
from django.utils.translation import get_language_from_path, get_language_info

from kb import languages


def _in_language(path, language):
    """The same page in ``language``; for paths that do not resolve (a 404), swap the language prefix."""
    url = translate_url(path, language)
    current = get_language_from_path(path)
    if url == path and current and current != language:
        url = f"/{language}/{path[len(current) + 2 :]}"
    return url


def language_versions(request):
    """The current language as a BCP 47 tag, and the same page in every language (switcher, hreflang)."""
    current = languages.current()
    path = request.get_full_path()
    versions = []
    for code in languages.codes():
        url = _in_language(path, code)
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
        "html_lang": languages.bcp47(current),
        "language_versions": versions,
        "other_language_versions": [v for v in versions if not v["is_current"]],
    }
