import re

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe

from kb import languages

register = template.Library()


@register.filter
def language_name(code):
    """The language's name in the reader's language: ``en`` -> "English" / "英文"."""
    return dict(settings.LANGUAGES).get(code, code)


@register.filter
def bcp47(code):
    return languages.bcp47(code)


@register.filter
def has_text(article, language):
    return article.has_text(language)


_ID = re.compile(r'(\sid=")([^"]+")')
_FRAGMENT = re.compile(r'(\shref="#)([^"]+")')


@register.filter
def scope_ids(body_html, prefix):
    """Prefix the heading ids (and links to them) of stored article HTML, so that several articles shown
    on one page keep unique anchors. The stored HTML is already sanitized; this only renames ids."""
    scoped = _ID.sub(rf"\1{prefix}--\2", body_html)
    return mark_safe(_FRAGMENT.sub(rf"\1{prefix}--\2", scoped))


@register.filter
def translation_status(item):
    """missing / outdated / current for the reader's language (see kb.translations)."""
    return item.translation_status(languages.current())
