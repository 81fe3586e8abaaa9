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
def about_minutes(minutes):
    """A time estimate: "About 12 min", "About 1 h 20 min" (to five minutes past the first hour)."""
    minutes = max(1, int(minutes or 0))
    if minutes < 60:
        return gettext("About %(minutes)s min") % {"minutes": minutes}
    hours, rest = divmod(5 * round(minutes / 5), 60)
    if not rest:
        return gettext("About %(hours)s h") % {"hours": hours}
    return gettext("About %(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}


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
    """missing / outdated / current for the reader's language (see kb.translation_status)."""
    return item.translation_status(languages.current())


class CaptureNode(template.Node):
    def __init__(self, nodelist, name):
        self.nodelist = nodelist
        self.name = name

    def render(self, context):
        # The output is already escaped by the template; whitespace is collapsed for attributes.
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture name %}…{% endcapture %}`` renders what it encloses once into the variable ``name`` and
    shows nothing. base.html wraps its ``title`` and ``description`` blocks in it, so that a page states its
    title once and it reaches ``<title>``, ``og:title`` and ``twitter:title`` alike; blocks inside stay
    overridable by the templates that extend it."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("capture takes one argument: the name of the variable to fill.")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[1])
