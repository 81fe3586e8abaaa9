"""Markdown to safe HTML: the one renderer used for every piece of authored text on the site.

Text is rendered once when it is saved, never per request. The HTML that Python-Markdown produces is
sanitized with nh3 afterwards, so nothing an author writes (raw HTML, ``javascript:`` links, event
handlers) can reach a reader as live markup.
"""

import html
import math
import re
import threading
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
import nh3
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

ARTICLE_LINK_SCHEME = "article:"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "s",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    # Pygments and admonitions style their output through classes.
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    "pre": {"class"},
    "p": {"class"},
    **{tag: {"id"} for tag in HEADING_TAGS},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {"href", "src"}
SCHEME_NAME = re.compile(r"[a-z][a-z0-9+.-]*", re.IGNORECASE)

# Reading speeds used for the "N min read" estimate.
WORDS_PER_MINUTE = 220
CJK_CHARACTERS_PER_MINUTE = 400
CJK_CHARACTER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019._-]*")
TAG = re.compile(r"<[^>]+>")


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)
    reading_minutes: int = 0
    article_links: set = field(default_factory=set)


def _drop_disguised_schemes(element, attribute, value):
    """Drop a URL whose scheme only escapes nh3's check through spaces or invisible characters inside it.

    nh3 reads ``java script:`` (Python-Markdown turns a tab there into spaces), or the same word split by a
    zero-width space, as a relative URL and keeps it. Browsers read it the same way, but no real link is
    spelled like that, and a less careful reader might run it: judge the scheme with those characters removed.
    """
    if attribute not in URL_ATTRIBUTES or ":" not in value:
        return value
    scheme = "".join(char for char in value.partition(":")[0] if char.isprintable() and not char.isspace())
    if SCHEME_NAME.fullmatch(scheme) and scheme.lower() not in ALLOWED_URL_SCHEMES:
        return None
    return value


def sanitize(dirty_html):
    """Keep the markup Markdown legitimately produces and drop everything else."""
    return nh3.clean(
        dirty_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_drop_disguised_schemes,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


class ArticleLinkProcessor(Treeprocessor):
    """Turn ``article:slug#section`` links into the article's URL in the language being rendered."""

    def __init__(self, md, language):
        super().__init__(md)
        self.language = language
        self.found = set()

    def run(self, root: ElementTree.Element):
        for link in root.iter("a"):
            href = link.get("href", "")
            if not href.startswith(ARTICLE_LINK_SCHEME):
                continue
            slug, _, anchor = href[len(ARTICLE_LINK_SCHEME) :].partition("#")
            self.found.add(slug)
            try:
                with translation.override(self.language):
                    url = reverse("kb:article-detail", kwargs={"slug": slug})
            except NoReverseMatch:
                link.set("href", "")
                continue
            link.set("href", f"{url}#{anchor}" if anchor else url)
        return None


class ArticleLinkExtension(Extension):
    def __init__(self, language, **kwargs):
        self.language = language
        self.processor = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        self.processor = ArticleLinkProcessor(md, self.language)
        # After inline links are built (priority 20), before the TOC collects headings (priority 5).
        md.treeprocessors.register(self.processor, "infralearn_article_links", 15)


def _flatten_toc(tokens):
    for token in tokens:
        yield {"id": token["id"], "title": html.unescape(token["name"]), "level": token["level"]}
        yield from _flatten_toc(token["children"])


def reading_minutes(rendered_html):
    text = html.unescape(TAG.sub(" ", rendered_html))
    cjk = len(CJK_CHARACTER.findall(text))
    words = len(LATIN_WORD.findall(CJK_CHARACTER.sub(" ", text)))
    if not cjk and not words:
        return 0
    return max(1, math.ceil(words / WORDS_PER_MINUTE + cjk / CJK_CHARACTERS_PER_MINUTE))


_renderers = threading.local()


def _renderer(language):
    """One Markdown instance per language and thread: building one costs more than a conversion."""
    cache = _renderers.__dict__.setdefault("by_language", {})
    if language not in cache:
        links = ArticleLinkExtension(language)
        md = markdown.Markdown(
            extensions=[
                "tables",
                "admonition",
                "sane_lists",
                "toc",
                "pymdownx.superfences",
                "pymdownx.highlight",
                links,
            ],
            extension_configs={
                "tables": {"use_align_attribute": True},
                "toc": {"slugify": slugify(case="lower", percent_encode=False), "toc_depth": "2-3"},
                "pymdownx.highlight": {"use_pygments": True, "guess_lang": False, "css_class": "highlight"},
            },
            output_format="html",
        )
        cache[language] = (md, links)
    return cache[language]


def render_markdown(text, *, language):
    """Render Markdown written in ``language`` to sanitized HTML, its table of contents and reading time."""
    md, links = _renderer(language)
    md.reset()
    links.processor.found = set()
    body_html = sanitize(md.convert(text or ""))
    return Rendered(
        html=body_html,
        toc=list(_flatten_toc(md.toc_tokens)),
        reading_minutes=reading_minutes(body_html),
        article_links=set(links.processor.found),
    )


def render_inline_markdown(text, *, language):
    """Render a short text (a quiz choice, a line of feedback) without the surrounding paragraph."""
    body = render_markdown(text, language=language).html.strip()
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return body
