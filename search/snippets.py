"""Snippets and highlighting on the original text (never on the analysed bigrams)."""

import re
from itertools import pairwise

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.analysis import CJK, is_cjk, normalize, plain_text

SNIPPET_CHARACTERS = 160
# How much of a long body's HTML is made plain text first, looking for the snippet there.
LEADING_HTML = 4000
CUT_ENTITY = re.compile(r"&#?\w*$")
# Endings dropped before matching so that "containers" also marks "container" and "upgrading" "upgrade".
ENGLISH_ENDINGS = re.compile(r"(?:ing|ed|es|s)$")


def _pattern(word):
    """(pattern, needs a word boundary before it): Chinese is found anywhere, Latin words from their start.
    The word boundary is checked by Highlighter.spans(), as the pattern cannot begin with one cheaply."""
    parts = word.split()
    if len(parts) == 1:
        if re.search(f"[{CJK}]", word):
            return re.escape(word), False
        if len(word) > 4:
            return re.escape(ENGLISH_ENDINGS.sub("", word)) + r"\w*", True
    # Words are found whatever separates them, as the analyser splits on it: "front-side bus" holds the
    # phrase front side bus; a Latin word and a Chinese one may touch (kubernetes叢集).
    pattern = re.escape(parts[0])
    for before, after in pairwise(parts):
        touching = is_cjk(before[-1]) or is_cjk(after[0])
        pattern += (r"[\W_]*" if touching else r"[\W_]+") + re.escape(after)
    return pattern + ("" if is_cjk(parts[-1][-1]) else r"\b"), not is_cjk(parts[0][0])


def _is_word(text, index):
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


class Highlighter:
    """Finds the query's words, in any case, in the original text.

    The text is lowered once and searched with a pattern that starts with the words' letters, which the
    regex engine scans for quickly; a case-insensitive pattern starting with a word boundary (``\\b``) is
    tried at every character and costs about ten times as much on a long body.
    """

    def __init__(self, query_words):
        patterns = [_pattern(normalize(word)) for word in query_words if word.strip()]
        self.regex = self.careful = None
        if patterns:
            # A pattern found anywhere is a named group: a match reports it as its last group.
            self.regex = re.compile(
                "|".join(
                    pattern if bounded else f"(?P<a{i}>{pattern})" for i, (pattern, bounded) in enumerate(patterns)
                )
            )
            self.careful = re.compile("|".join(rf"\b{p}" if b else p for p, b in patterns), re.IGNORECASE)

    def spans(self, text):
        """(start, end) of each match in ``text``, left to right, without overlaps."""
        if not self.regex or not text:
            return
        lowered = text.lower()
        if len(lowered) != len(text):  # a letter whose lower case is longer: positions would shift
            yield from (match.span() for match in self.careful.finditer(text))
            return
        position = 0
        while match := self.regex.search(lowered, position):
            start = match.start()
            if match.lastgroup or _is_word(lowered, start - 1) != _is_word(lowered, start):
                yield match.span()
                position = match.end()
            else:
                position = start + 1

    def finds(self, text):
        return next(self.spans(text), None) is not None

    def mark(self, text):
        """``text`` escaped, with every match wrapped in <mark>."""
        pieces, last = [], 0
        for start, end in self.spans(text):
            pieces.append(escape(text[last:start]))
            pieces.append(f"<mark>{escape(text[start:end])}</mark>")
            last = end
        pieces.append(escape((text or "")[last:]))
        return mark_safe("".join(pieces))  # every piece is escaped above

    def snippet(self, summary, body_html):
        """A window of the body's text around the first match, or the summary when the body does not match."""
        for text, whole in _body_texts(body_html or ""):
            first = next(self.spans(text), None)
            if first is None:
                continue
            start = max(0, first[0] - SNIPPET_CHARACTERS // 3)
            end = start + SNIPPET_CHARACTERS
            if whole or end < len(text):
                end = min(end, len(text))
                return mark_safe(  # mark() escapes
                    ("… " if start else "") + self.mark(text[start:end]) + (" …" if end < len(text) else "")
                )
        return self.mark(summary or text[:SNIPPET_CHARACTERS])


def _body_texts(body_html):
    """The body as plain text: first only its beginning when it is long (the words are usually found there
    and a snippet needs no more), then the whole, for the caller to use if the beginning was not enough."""
    if len(body_html) > LEADING_HTML:
        head = body_html[:LEADING_HTML]
        if head.rfind("<") > head.rfind(">"):
            head = head[: head.rfind("<")]  # a tag cut in two
        yield plain_text(CUT_ENTITY.sub("", head)), False
    yield plain_text(body_html), True
