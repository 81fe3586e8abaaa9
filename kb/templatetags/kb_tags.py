import html
import re

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from kb import glossary_marks, languages

register = template.Library()


@register.simple_tag
def glossary_links(terms, group_url, separator):
    """One group's terms as links to their entries on the group page, joined by ``separator``. The index
    lists every term: a join of escaped strings here costs a small part of a template loop over hundreds of
    them (or of ``format_html`` for each)."""
    url = html.escape(group_url)
    links = (
        f'<a id="{html.escape(term.slug)}" href="{url}#{html.escape(term.slug)}">{html.escape(term.term)}</a>'
        for term in terms
    )
    return mark_safe(html.escape(separator).join(links))  # every part escaped above


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


_ID = re.compile(r'(\s(?:id|popovertarget)=")([^"]+")')
_FRAGMENT = re.compile(r'(\shref="#)([^"]+")')


@register.filter
def scope_ids(body_html, prefix):
    """Prefix the heading ids (and links to them) of stored article HTML, so that several articles shown
    on one page keep unique anchors. The stored HTML is already sanitized; this only renames ids."""
    scoped = _ID.sub(rf"\1{prefix}--\2", body_html)
    return mark_safe(_FRAGMENT.sub(rf"\1{prefix}--\2", scoped))


_SECTION_HEADING = re.compile(r'(<h2 id="([^"]+)">)(.*?)(</h2>)', re.DOTALL)


@register.simple_tag
def with_section_links(body_html, versions):
    """Stored article HTML with, at the end of every section heading, a link to the section itself (to copy
    its address) and one to the same section in each other language: sections share their ids across
    languages, so these work without JavaScript."""
    label = gettext("Link to this section")

    def add_links(match):
        links = format_html(' <a class="heading-link" href="#{}" aria-label="{}">#</a>', match.group(2), label)
        links += "".join(
            format_html(
                ' <a class="section-language" href="{}#{}" hreflang="{}" lang="{}" data-language="{}">{}</a>',
                version["url"],
                match.group(2),
                version["hreflang"],
                version["hreflang"],
                version["code"],
                version["name_local"],
            )
            for version in versions
        )
        return f"{match.group(1)}{match.group(3)}{links}{match.group(4)}"

    return mark_safe(_SECTION_HEADING.sub(add_links, body_html))


@register.filter
def terms(body_html, shown):
    """Stored article HTML with its glossary marks, or without them for a reader who turned them off."""
    return mark_safe(body_html if shown else glossary_marks.unmark(body_html))


@register.filter
def iso(moment):
    """A date and time for ``<time datetime>``: ISO 8601 to the second (HTML refuses more than three decimals,
    and Django's "c" format writes six)."""
    if not moment:
        return ""
    return moment.isoformat(timespec="seconds") if hasattr(moment, "hour") else moment.isoformat()


@register.filter
def translation_status(item):
    """missing / outdated / current for the reader's language (see kb.translations)."""
    return item.translation_status(languages.current())
