"""Markdown to safe HTML: the one renderer used for every piece of authored text on the site.

Text is rendered once when it is saved, never per request. The HTML that Python-Markdown produces is
sanitized with nh3 afterwards, so nothing an author writes (raw HTML, ``javascript:`` links, event
handlers) can reach a reader as live markup.
"""

import html
import math
import re
from dataclasses import dataclass, field
from xml.etree import ElementTree

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pymdownx.slugs import slugify

from kb import languages
from search.analysis import CJK

ARTICLE_LINK_SCHEME = "article:"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "s",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "figure", "figcaption",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height", "loading", "decoding"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
    # Pygments and admonitions style their output through classes.
    "div": {"class", "role", "tabindex", "aria-label"},
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
CJK_CHARACTER = re.compile(f"[{CJK}]")
LATIN_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\u2019._-]*")
TAG = re.compile(r"<[^>]+>")


@dataclass
class Rendered:
    html: str
    toc: list = field(default_factory=list)
    reading_minutes: int = 0
    article_links: set = field(default_factory=set)
    images: set = field(default_factory=set)  # file names of the article's own images the text shows
    headings: tuple = ()  # ((level, id), ...) of every heading, in order: the anchors other languages take


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


# An image named by a bare file name is one of the article's own (content/articles/<slug>/<name>).
IMAGE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:svg|png|jpe?g|webp|gif)")


class ArticleImageProcessor(Treeprocessor):
    """Point images named by file at the article's image URL, with their size when known (the page keeps
    their place while they load). An image alone in its paragraph becomes a figure: its Markdown title is
    the caption, and the image links to itself, so that a diagram can be opened at full size on a phone."""

    def __init__(self, md, article, sizes):
        super().__init__(md)
        self.article = article
        self.sizes = dict(sizes or {})
        self.found = set()

    def run(self, root: ElementTree.Element):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "img" or not IMAGE_NAME.fullmatch(child.get("src", "")):
                    continue
                name = child.get("src")
                self.found.add(name)
                if self.article:
                    child.set("src", reverse("kb_images:article-image", kwargs={"slug": self.article, "name": name}))
                if name in self.sizes:
                    child.set("width", str(self.sizes[name][0]))
                    child.set("height", str(self.sizes[name][1]))
                child.set("loading", "lazy")
                child.set("decoding", "async")
                alone = len(parent) == 1 and not (parent.text or "").strip() and not (child.tail or "").strip()
                if parent.tag == "p" and alone:
                    self._figure(parent, index, child)
        return None

    @staticmethod
    def _figure(paragraph, index, image):
        paragraph.tag = "figure"
        caption = image.attrib.pop("title", None)
        link = ElementTree.Element("a", {"href": image.get("src")})
        paragraph.remove(image)
        link.append(image)
        paragraph.insert(index, link)
        if caption:
            ElementTree.SubElement(paragraph, "figcaption").text = caption


class ArticleImageExtension(Extension):
    def __init__(self, article, sizes, **kwargs):
        self.article = article
        self.sizes = sizes
        self.processor = None
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        self.processor = ArticleImageProcessor(md, self.article, self.sizes)
        md.treeprocessors.register(self.processor, "infralearn_article_images", 14)


class TableProcessor(Treeprocessor):
    """A wide table scrolls on its own on a narrow screen, in a region keyboard users can reach."""

    def __init__(self, md, language):
        super().__init__(md)
        self.language = language

    def run(self, root: ElementTree.Element):
        number = 0
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag != "table":
                    continue
                number += 1  # each region needs a name of its own
                with translation.override(self.language):
                    label = str(TABLE_LABEL) % {"number": number}
                wrapper = ElementTree.Element(
                    "div", {"class": "table-scroll", "role": "region", "tabindex": "0", "aria-label": label}
                )
                parent.remove(child)
                wrapper.append(child)
                parent.insert(index, wrapper)
        return None


class TableExtension(Extension):
    def __init__(self, language, **kwargs):
        self.language = language
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(TableProcessor(md, self.language), "infralearn_tables", 12)


TABLE_LABEL = pgettext_lazy("accessible name of a table that scrolls sideways", "Table %(number)s")


# Python-Markdown titles an admonition without a title after its kind ("Note"); readers get it in their language.
ADMONITION_TITLES = {
    "note": pgettext_lazy("admonition title", "Note"),
    "tip": pgettext_lazy("admonition title", "Tip"),
    "hint": pgettext_lazy("admonition title", "Hint"),
    "important": pgettext_lazy("admonition title", "Important"),
    "info": pgettext_lazy("admonition title", "Info"),
    "warning": pgettext_lazy("admonition title", "Warning"),
    "caution": pgettext_lazy("admonition title", "Caution"),
    "attention": pgettext_lazy("admonition title", "Attention"),
    "danger": pgettext_lazy("admonition title", "Danger"),
    "error": pgettext_lazy("admonition title", "Error"),
}


class AdmonitionTitleProcessor(Treeprocessor):
    def __init__(self, md, language):
        super().__init__(md)
        self.language = language

    def run(self, root: ElementTree.Element):
        for box in root.iter("div"):
            kinds = (box.get("class") or "").split()
            if "admonition" not in kinds or not len(box) or box[0].get("class") != "admonition-title":
                continue
            title = box[0]
            kind = next((k for k in kinds if k in ADMONITION_TITLES), None)
            if kind is None:
                continue
            with translation.override(self.language):
                name = str(ADMONITION_TITLES[kind])
            if (title.text or "").strip() == kind.capitalize() and not len(title):
                title.text = name
            else:
                # A title of the author's own: say the kind too, which otherwise only the colour shows.
                kind_label = ElementTree.Element("span", {"class": "admonition-kind"})
                kind_label.text = name
                kind_label.tail = " " + (title.text or "")
                title.text = None
                title.insert(0, kind_label)
        return None


class AdmonitionTitleExtension(Extension):
    def __init__(self, language, **kwargs):
        self.language = language
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(AdmonitionTitleProcessor(md, self.language), "infralearn_admonition_titles", 13)


class SharedAnchorProcessor(Treeprocessor):
    """A section has one address in every language: when this text's headings line up with the English
    text's (same number, same levels), each heading takes the id of its English counterpart, and the id it
    would have had on its own is kept as an alias so that old links still arrive."""

    def __init__(self, md, anchors):
        super().__init__(md)
        self.anchors = anchors
        self.headings = ()
        self.aliases = {}  # shared id -> this language's own id

    def run(self, root: ElementTree.Element):
        headings = [element for element in root.iter() if element.tag in HEADING_TAGS and element.get("id")]
        levels = [int(element.tag[1]) for element in headings]
        if self.anchors and levels == [level for level, _anchor in self.anchors]:
            renamed = {}
            for element, (_level, anchor) in zip(headings, self.anchors, strict=True):
                if element.get("id") != anchor:
                    renamed[element.get("id")] = anchor
                    element.set("id", anchor)
            _rename_toc(self.md.toc_tokens, renamed)
            self.aliases = {shared: own for own, shared in renamed.items()}
        self.headings = tuple((int(element.tag[1]), element.get("id")) for element in headings)


class SharedAnchorExtension(Extension):
    def __init__(self, anchors, **kwargs):
        self.anchors = anchors
        super().__init__(**kwargs)

    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        self.processor = SharedAnchorProcessor(md, self.anchors)
        # After the table of contents (priority 5) has given every heading its own id.
        md.treeprocessors.register(self.processor, "shared_anchors", 4)


def _rename_toc(tokens, renamed):
    for token in tokens:
        token["id"] = renamed.get(token["id"], token["id"])
        _rename_toc(token["children"], renamed)


def _add_anchor_aliases(body_html, aliases):
    """An empty element carrying the heading's own id, first inside the heading: ``#南橋`` still lands on
    the section now called ``#southbridge``. Added after sanitizing, from ids the renderer made."""
    for shared, own in aliases.items():
        opening = re.compile(rf'(<h[1-6] id="{re.escape(html.escape(shared))}">)')
        body_html = opening.sub(
            lambda match, own=own: f'{match.group(1)}<span class="anchor-alias" id="{html.escape(own)}"></span>',
            body_html,
            count=1,
        )
    return body_html


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


class MarkupError(ValueError):
    """Markdown the renderer refuses because it is too large or too deeply nested; the message says which
    limit, in the active language, for the author who wrote it."""


# Limits that keep every render under a second or two (bench/render.py measures the worst inputs within
# them). Python-Markdown recurses once per level of nesting, scans to the end of its paragraph from every
# "[" that opens no link and to the end of the text from every "<" that closes no tag, and goes over a
# paragraph's remaining lines once per line for some blocks: deep nesting, paragraphs full of brackets,
# texts full of "<" and paragraphs of thousands of lines are what make a render slow or fail. The starting
# content uses at most a tenth of each limit.
MAX_LENGTH = 100_000
MAX_NESTING = 12
MAX_BRACKET_WORK = 2_000_000  # sum over paragraphs, rows and items of (the "[" in it) x (its length)
MAX_ANGLE_WORK = 5_000_000  # (the "<" outside code blocks) x (the length outside code blocks)
MAX_LINE_WORK = 1_000_000  # sum over paragraphs of (its lines) squared
MAX_HEADINGS = 300
MAX_FENCES = 300
MAX_TABLE_COLUMNS = 40
MAX_EMPHASIS_RUN = 30
FENCED_CODE = re.compile(r"^(?P<fence>`{3,}|~{3,}).*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)
FENCE_LINE = re.compile(r"^\s*(`{3,}|~{3,})", re.MULTILINE)
HEADING_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE)
NESTING_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t]))+")
ROW_OR_ITEM = re.compile(r"\n(?=[ \t]*(?:\||[-*+][ \t]|\d{1,9}[.)][ \t]))")
EMPHASIS_RUN = re.compile(r"[*_]{" + str(MAX_EMPHASIS_RUN + 1) + ",}")


def _nesting(line):
    """How deep a line nests lists and quotes: its markers (``> - 1.``) plus its indentation in levels."""
    prefix = NESTING_PREFIX.match(line)
    markers = len(re.findall(r">|[-*+][ \t]|\d{1,9}[.)][ \t]", prefix.group())) if prefix else 0
    indent = len(line) - len(line.lstrip(" \t"))
    return markers + indent // 4 if markers else 0


def check_markdown(text):
    """Raise MarkupError if ``text`` is beyond what the renderer takes; cheap, and run before every render."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise MarkupError(
            _("The text is %(length)s characters long; the limit is %(limit)s. Split it into shorter parts.")
            % {"length": f"{len(text):,}", "limit": f"{MAX_LENGTH:,}"}
        )
    if len(FENCE_LINE.findall(text)) > 2 * MAX_FENCES:
        raise MarkupError(_("The text has more than %(limit)s code blocks.") % {"limit": MAX_FENCES})
    prose = FENCED_CODE.sub("", text)
    if len(HEADING_LINE.findall(prose)) > MAX_HEADINGS:
        raise MarkupError(_("The text has more than %(limit)s headings.") % {"limit": MAX_HEADINGS})
    bracket_work = line_work = 0
    for block in re.split(r"\n[ \t]*\n", prose):
        # Inline markup is parsed per table row and per list item, so each is its own stretch of text.
        for stretch in ROW_OR_ITEM.split(block):
            bracket_work += stretch.count("[") * len(stretch)
        line_work += (block.count("\n") + 1) ** 2
        for line in block.splitlines():
            if _nesting(line) > MAX_NESTING:
                raise MarkupError(
                    _("Lists or quotes are nested more than %(limit)s levels deep.") % {"limit": MAX_NESTING}
                )
            if line.count("|") > MAX_TABLE_COLUMNS + 1 and line.lstrip().startswith("|"):
                raise MarkupError(_("A table has more than %(limit)s columns.") % {"limit": MAX_TABLE_COLUMNS})
    if bracket_work > MAX_BRACKET_WORK:
        raise MarkupError(_("Some paragraphs hold too many “[” for their length; break them up."))
    if prose.count("<") * len(prose) > MAX_ANGLE_WORK:
        raise MarkupError(
            _("The text holds %(count)s “<” outside code blocks, too many for its length; put code in code blocks.")
            % {"count": prose.count("<")}
        )
    if line_work > MAX_LINE_WORK:
        raise MarkupError(_("Some paragraphs are very long; separate them with blank lines."))
    if EMPHASIS_RUN.search(prose):
        raise MarkupError(
            _("The text has a run of more than %(limit)s “*” or “_” characters.") % {"limit": MAX_EMPHASIS_RUN}
        )


def validate_markdown(text):
    """The model-field validator of every Markdown field: admin forms refuse what the renderer would."""
    try:
        check_markdown(text)
    except MarkupError as error:
        raise ValidationError(str(error), code="markdown") from error


def _renderer(language, article, image_sizes=None, anchors=None):
    """A new Markdown instance for every render: one that failed halfway must never shape the next text."""
    links = ArticleLinkExtension(language)
    images = ArticleImageExtension(article, image_sizes)
    shared = SharedAnchorExtension(anchors)
    md = markdown.Markdown(
        extensions=[
            "tables",
            "admonition",
            "sane_lists",
            "toc",
            "pymdownx.superfences",
            "pymdownx.highlight",
            links,
            images,
            AdmonitionTitleExtension(language),
            TableExtension(language),
            shared,
        ],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": slugify(case="lower", percent_encode=False), "toc_depth": "2-3"},
            "pymdownx.highlight": {"use_pygments": True, "guess_lang": False, "css_class": "highlight"},
        },
        output_format="html",
    )
    return md, links, images, shared


def render_markdown(text, *, language, article=None, image_sizes=None, anchors=None):
    """Render Markdown written in ``language`` to sanitized HTML, its table of contents and reading time.

    ``article`` is the slug of the article the text belongs to: images named by file (``![…](plan.svg)``)
    are then shown from that article's images, ``image_sizes`` ({name: (width, height)}) giving their size.
    ``anchors`` are the ``headings`` of the article's English render: headings that line up with them take
    their ids (see SharedAnchorProcessor). Raises MarkupError for text beyond the limits above.
    """
    if not (text or "").strip():
        return Rendered(html="")
    check_markdown(text)
    return _render(text, language, article, tuple(sorted((image_sizes or {}).items())), tuple(anchors or ()))


def _render(text, language, article, image_sizes, anchors):
    md, links, images, shared = _renderer(language, article, image_sizes, anchors)
    try:
        body_html = sanitize(md.convert(text))
    except RecursionError as error:
        raise MarkupError(_("Lists, quotes or emphasis are nested too deeply to show.")) from error
    body_html = _add_anchor_aliases(body_html, shared.processor.aliases)
    return Rendered(
        html=body_html,
        toc=list(_flatten_toc(md.toc_tokens)),
        reading_minutes=reading_minutes(body_html),
        article_links=set(links.processor.found),
        images=set(images.processor.found),
        headings=shared.processor.headings,
    )


def render_translations(instance, source, target):
    """Render every language of the Markdown field ``source`` of a translated model into its HTML field
    ``target`` (a course's description, a question's prompt): text with no article of its own."""
    for code in languages.codes():
        text = getattr(instance, languages.localized(source, code)) or ""
        setattr(instance, languages.localized(target, code), render_markdown(text, language=code).html)


def render_inline_markdown(text, *, language):
    """Render a short text (a quiz choice, a line of feedback) without the surrounding paragraph."""
    body = render_markdown(text, language=language).html.strip()
    if body.startswith("<p>") and body.endswith("</p>") and body.count("<p>") == 1:
        body = body[3:-4]
    return body
