"""An article's rendered HTML cut into its sections, and two languages' sections paired for reading side by
side. Sections share their ids across languages (kb.markup.SharedAnchorProcessor), so pairing is by id."""

import itertools
import re
from dataclasses import dataclass

# Top-level section headings; the tags that can hold a heading inside them (an admonition, a quote, a list)
# are counted so that a heading inside one of them never starts a section.
_SECTION_HEADING = re.compile(r'<h2 id="([^"]+)">')
_CONTAINER = re.compile(r"<(/?)(div|blockquote|details|ul|ol|table|figure)\b[^>]*>")


@dataclass
class Section:
    anchor: str  # "" for the text before the first heading
    html: str


@dataclass
class Row:
    anchor: str
    first: Section | None  # in the page's language
    second: Section | None  # in the other language


def split(body_html):
    """``[Section, ...]`` in order; the introduction before the first heading is the section ``""``."""
    starts = []
    depth = 0
    containers = iter(_CONTAINER.finditer(body_html))
    container = next(containers, None)
    for heading in _SECTION_HEADING.finditer(body_html):
        while container is not None and container.start() < heading.start():
            depth += -1 if container.group(1) else 1
            container = next(containers, None)
        if depth == 0:
            starts.append((heading.start(), heading.group(1)))
    sections = []
    bounds = [(0, ""), *starts, (len(body_html), None)]
    for (start, anchor), (end, _next) in itertools.pairwise(bounds):
        html = body_html[start:end]
        if html.strip():
            sections.append(Section(anchor, html))
    return sections


def pair(first_html, second_html):
    """Rows of the two texts' sections, in the first text's order; a section only the second text has gets
    a row of its own at the end."""
    second = {section.anchor: section for section in split(second_html)}
    rows = [Row(section.anchor, section, second.pop(section.anchor, None)) for section in split(first_html)]
    for anchor, section in second.items():
        rows.append(Row(anchor, None, section))
    return rows


@dataclass
class Part:
    """One text shown in two languages: an article, or a lesson's introduction."""

    first_title: str
    second_title: str
    rows: list
    prefix: str = ""  # prefixed to the first language's ids when one page shows several texts


def part(first, second, *, prefix=""):
    """A Part from two ArticleVersions (or anything with ``title`` and ``body_html``)."""
    return Part(first.title, second.title, pair(first.body_html, second.body_html), prefix)
