"""Snippets and highlighting on the original text (never on the analysed bigrams)."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from kb.search.analysis import CJK, normalize
from kb.search.documents import plain_text

__all__ = ["Highlighter", "plain_text"]

SNIPPET_CHARACTERS = 160
# Endings dropped before matching so that "containers" also marks "container" and "upgrading" "upgrade".
ENGLISH_ENDINGS = re.compile(r"(?:ing|ed|es|s)$")


def _pattern(word):
    if re.search(f"[{CJK}]", word):
        return re.escape(word)
    parts = word.split()
    if len(parts) == 1 and len(word) > 4:
        stem = ENGLISH_ENDINGS.sub("", word)
        return r"\b" + re.escape(stem) + r"\w*"
    return r"\b" + r"\s+".join(re.escape(part) for part in parts) + r"\b"


class Highlighter:
    def __init__(self, query_words):
        forms = [normalize(word) for word in query_words if word.strip()]
        self.regex = re.compile("|".join(_pattern(form) for form in forms), re.IGNORECASE) if forms else None

    def finds(self, text):
        return bool(self.regex and text and self.regex.search(text))

    def mark(self, text):
        """``text`` escaped, with every match wrapped in <mark>."""
        if not self.regex or not text:
            return escape(text or "")
        pieces, last = [], 0
        for match in self.regex.finditer(text):
            pieces.append(escape(text[last : match.start()]))
            pieces.append(f"<mark>{escape(match.group(0))}</mark>")
            last = match.end()
        pieces.append(escape(text[last:]))
        return mark_safe("".join(pieces))  # every piece is escaped above

    def snippet(self, summary, body):
        """A window of the body around the first match, or the summary when the body does not match."""
        match = self.regex.search(body) if self.regex and body else None
        if match is None:
            return self.mark(summary or body[:SNIPPET_CHARACTERS])
        start = max(0, match.start() - SNIPPET_CHARACTERS // 3)
        end = min(len(body), start + SNIPPET_CHARACTERS)
        window = body[start:end]
        return mark_safe(  # mark() escapes
            ("… " if start else "") + self.mark(window) + (" …" if end < len(body) else "")
        )
