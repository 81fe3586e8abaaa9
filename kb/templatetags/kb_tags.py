from django import template
from django.conf import settings

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
