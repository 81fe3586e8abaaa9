"""The glossary inside the text: the first use of a glossary term in each section of an article is marked.

Terms whose ``marked`` is off (everyday words such as "default", ``mark: false`` in glossary.yaml) are never
marked. A mark is a button that opens a popover with the term in the other language, a one-line definition and a
link to the glossary entry: hover, focus and tap all reach it, and without JavaScript the browser's own
popover still opens on a click or a tap. Marks are added to the article's stored HTML when the article is
rendered (kb.models.Article.save) and again for every article when the glossary changes
(``refresh_articles``), never per request. ``unmark`` takes them out again, for readers who turned them off
and for the search index.
"""

import html
import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kb import languages
from search.analysis import CJK

# Text inside these elements is never marked: links and buttons already do something when pressed, code is
# literal, headings and captions are names, and a term's own popover must not hold another term.
SKIPPED = {"a", "button", "code", "pre", "kbd", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "summary", "svg"}
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
MARK = re.compile(
    r'<button type="button" class="term" [^>]*>(.*?)</button><span class="term-tip" [^>]*>.*?</a></span>', re.S
)
CJK_CHARACTER = re.compile(f"[{CJK}]")
LATIN_WORD = re.compile(r"[A-Za-z0-9]+")
SHORTEST = 2  # one-letter spellings ("B" for byte) would mark every stray letter
DEFINITION_LENGTH = 180


@dataclass
class Entry:
    slug: str
    other_term: str  # the term in the other language, or "" when it is spelt the same
    other_language: str
    definition: str
    url: str


class Matcher:
    """Every spelling of every term in one language, looked up by its first word (or, in Chinese, its first
    character), longest first, so that "container runtime" wins over "container". Chinese spellings are
    found anywhere; others only as whole words, matching case unless written in lower case (so "Mbps" never
    matches "MBps")."""

    def __init__(self, terms, language):
        other = languages.others(language)[0]
        with translation.override(language):
            # Each term's own address (it leads to the term on its glossary page), reversed once.
            term_url = reverse("kb:glossary-term", kwargs={"slug": "slug"}).removesuffix("slug/")
            self.link_text = gettext("In the glossary")
        self.entries = {}
        self.latin = {}  # first word, lower case -> [(spelling as escaped text, case matters, offset, slug)]
        self.chinese = {}  # first character -> [(spelling, slug)]
        for term in terms:
            if not term.marked:
                continue
            own = getattr(term, languages.localized("term", language)) or term.term_en
            other_term = getattr(term, languages.localized("term", other)) or ""
            definition = getattr(term, languages.localized("definition", language)) or term.definition_en or ""
            if len(definition) > DEFINITION_LENGTH:
                definition = definition[: DEFINITION_LENGTH - 1].rstrip() + "…"
            self.entries[term.slug] = Entry(
                slug=term.slug,
                other_term="" if other_term.casefold() == own.casefold() else other_term,
                other_language=other,
                definition=definition,
                url=f"{term_url}{term.slug}/",
            )
            for spelling in term.spellings(language):
                escaped = " ".join(html.escape(spelling, quote=False).split())
                first_word = LATIN_WORD.search(escaped)
                if len(spelling) < SHORTEST:
                    continue
                if CJK_CHARACTER.search(spelling) or first_word is None:
                    self.chinese.setdefault(escaped[0], []).append((escaped, term.slug))
                else:
                    case_matters = any(character.isupper() for character in spelling)
                    key = escaped if case_matters else escaped.lower()
                    candidate = (key, case_matters, first_word.start(), term.slug)
                    self.latin.setdefault(first_word.group(0).lower(), []).append(candidate)
        for candidates in [*self.latin.values(), *self.chinese.values()]:
            candidates.sort(key=lambda candidate: -len(candidate[0]))
        firsts = "".join(re.escape(character) for character in self.chinese)
        self.chinese_start = re.compile(f"[{firsts}]") if firsts else None

    def __bool__(self):
        return bool(self.latin or self.chinese)

    def find(self, text):
        """``(start, end, slug)`` of every spelling in ``text`` (escaped HTML text), left to right; where two
        overlap, the one that starts first (or, starting together, the longer) wins."""
        flat = text.replace("\n", " ")
        found = []
        for word in LATIN_WORD.finditer(flat):
            for key, case_matters, offset, slug in self.latin.get(word.group(0).lower(), ()):
                start = word.start() - offset
                end = start + len(key)
                shown = flat[start:end]
                if start < 0 or (shown if case_matters else shown.lower()) != key:
                    continue
                if start > 0 and _joins(flat[start - 1]):
                    continue
                if end < len(flat) and _joins(flat[end]) and not _ends_sentence(flat, end):
                    continue
                found.append((start, -len(key), slug))
                break
        if self.chinese_start is not None:
            for character in self.chinese_start.finditer(flat):
                for key, slug in self.chinese[character.group(0)]:
                    if flat.startswith(key, character.start()):
                        found.append((character.start(), -len(key), slug))
                        break
        reached = 0
        for start, negative_length, slug in sorted(found):
            if start >= reached:
                reached = start - negative_length
                yield start, reached, slug


def _joins(character):
    """Whether ``character`` next to a word makes it part of a longer word, path or entity (Chinese next to a
    Latin word does not: 用kubectl)."""
    return (character.isalnum() and not CJK_CHARACTER.match(character)) or character in "_&#/.-"


def _ends_sentence(text, end):
    """A full stop after a word ends it unless a letter follows ("kubelet." but not "kubelet.conf")."""
    return text[end] == "." and (end + 1 == len(text) or not text[end + 1].isalnum())


def mark(body_html, language, matcher):
    """``body_html`` with the first use of each term in every section marked (see the module's docstring)."""
    if not body_html or not matcher:
        return body_html
    body_html = unmark(body_html)
    out = []
    skipped = 0
    seen = set()
    number = 0
    position = 0
    for tag in TAG.finditer(body_html):
        text = body_html[position : tag.start()]
        if text and not skipped:
            text, number = _mark_text(text, language, matcher, seen, number)
        out.append(text)
        out.append(tag.group(0))
        position = tag.end()
        closing, name, self_closing = tag.group(1), tag.group(2).lower(), tag.group(3)
        if name == "h2" and not closing:
            seen = set()  # a new section: its first uses are marked again
        if name in SKIPPED and not self_closing:
            skipped += -1 if closing else 1
            skipped = max(skipped, 0)
    rest = body_html[position:]
    if rest and not skipped:
        rest, number = _mark_text(rest, language, matcher, seen, number)
    out.append(rest)
    return "".join(out)


def _mark_text(text, language, matcher, seen, number):
    pieces = []
    position = 0
    for start, end, slug in matcher.find(text):
        if slug in seen:
            continue
        seen.add(slug)
        number += 1
        pieces.append(text[position:start])
        pieces.append(_markup(text[start:end], matcher.entries[slug], language, number, matcher.link_text))
        position = end
    pieces.append(text[position:])
    return "".join(pieces), number


def _markup(shown, entry, language, number, link_text):
    tip = f"term-{language}-{number}"
    other = ""
    if entry.other_term:
        other = (
            f'<b class="term-other" lang="{languages.bcp47(entry.other_language)}">{html.escape(entry.other_term)}</b> '
        )
    return (
        f'<button type="button" class="term" popovertarget="{tip}" data-term="{html.escape(entry.slug)}">'
        f"{shown}</button>"
        f'<span class="term-tip" id="{tip}" popover role="tooltip">{other}{html.escape(entry.definition)} '
        f'<a href="{html.escape(entry.url)}">{html.escape(link_text)}</a></span>'
    )


def unmark(body_html):
    return MARK.sub(r"\1", body_html or "")


def matchers():
    """A Matcher per language, from the glossary as it is now."""
    from kb.models import GlossaryTerm

    terms = list(GlossaryTerm.objects.all())
    return {language: Matcher(terms, language) for language in languages.codes()}


def refresh_articles():
    """Mark every article again after the glossary changed, and record again which article uses which term;
    returns how many stored texts changed. Only the stored HTML is written: no revision, no edit stamp,
    nothing for the search index to redo."""
    from kb import content_version
    from kb.glossary_usage import refresh_glossary_usage
    from kb.models import Article

    by_language = matchers()
    changed = 0
    fields = [languages.localized("body_html", language) for language in languages.codes()]
    for article in Article.objects.only("pk", *fields):
        updates = {}
        for language in languages.codes():
            field = languages.localized("body_html", language)
            current = getattr(article, field) or ""
            marked = mark(current, language, by_language[language])
            if marked != current:
                updates[field] = marked
        if updates:
            Article.objects.filter(pk=article.pk).update(**updates)
            changed += len(updates)
    if changed:
        content_version.changed()  # update() sends no signal
    refresh_glossary_usage()
    return changed
