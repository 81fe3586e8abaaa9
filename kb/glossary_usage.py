"""Which articles use which glossary terms ("Used in" on the glossary pages), worked out when content changes.

An article uses a term when its text, in either language, holds one of the term's spellings (the term or an
alias, in either language). Code is left out: a shell command that mentions ``pod`` does not explain Pods.
"""

import html
import re

from django.db import transaction
from django.utils.html import strip_tags

from kb import languages
from kb.models import Article, GlossaryTerm

_CODE = re.compile(r"<(pre|code)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
# Latin spellings match whole words. Not \b: in Unicode a Chinese character is a word character too, and
# Chinese text often writes an English word right against it (每個Pod都).
_BEFORE, _AFTER = r"(?<![A-Za-z0-9_])", r"(?![A-Za-z0-9_])"
_WORD = re.compile(r"[A-Za-z0-9_]+")


def plain_text(body_html):
    """What a reader reads of an article's HTML: no tags, no code."""
    return html.unescape(strip_tags(_CODE.sub(" ", body_html or "")))


def spelling_pattern(spelling):
    """The regular expression that finds ``spelling``: a substring when it holds Chinese characters; a whole
    word otherwise, case-sensitive when the spelling has a capital letter (``ACME``, ``Pod``), any case
    when it has none (``kubelet`` also finds ``Kubelet`` at the start of a sentence)."""
    if _CJK.search(spelling):
        return re.escape(spelling)
    flags = "" if any(char.isupper() for char in spelling) else "(?i:"
    body = re.escape(spelling)
    return f"{_BEFORE}{flags}{body}{')' if flags else ''}{_AFTER}"


class Spellings:
    """Every spelling of every term, arranged so that one article is checked in a few milliseconds: a regular
    expression per spelling run over every article took 8 s on the starting content (16 articles, 360
    terms), and one alternation of all of them is no faster in Python's engine, which tries each branch at
    each position. So one-word spellings (most of them) are looked up in the set of the article's words,
    Chinese ones with ``in``, and phrases (``container runtime``, ``AMD-V``) run their expression only where
    the article has their first word."""

    def __init__(self, terms):
        self.exact_words, self.any_case_words = {}, {}
        self.substrings, self.phrases = [], []
        for term in terms:
            for spelling in {s for code in languages.codes() for s in term.spellings(code)}:
                if _CJK.search(spelling):
                    self.substrings.append((spelling, term.pk))
                elif _WORD.fullmatch(spelling):
                    if any(char.isupper() for char in spelling):
                        self.exact_words.setdefault(spelling, set()).add(term.pk)
                    else:
                        self.any_case_words.setdefault(spelling.lower(), set()).add(term.pk)
                else:
                    first = _WORD.match(spelling)
                    pattern = re.compile(spelling_pattern(spelling))
                    self.phrases.append((first.group().lower() if first else None, pattern, term.pk))

    def used_in(self, text):
        """The ids of the terms ``text`` uses."""
        starts = {}  # word, lowered -> where it starts in the text
        words = set()
        for match in _WORD.finditer(text):
            words.add(match.group())
            starts.setdefault(match.group().lower(), []).append(match.start())
        used = set()
        for word in words & self.exact_words.keys():
            used |= self.exact_words[word]
        for word in starts.keys() & self.any_case_words.keys():
            used |= self.any_case_words[word]
        used.update(term for spelling, term in self.substrings if term not in used and spelling in text)
        for first, pattern, term in self.phrases:
            if term in used:
                continue
            if first is None:
                found = pattern.search(text)
            else:
                found = any(pattern.match(text, start) for start in starts.get(first, ()))
            if found:
                used.add(term)
        return used


@transaction.atomic
def refresh_glossary_usage():
    """Recompute ``GlossaryTerm.used_in`` for every article (drafts too: readers' pages show published ones
    only, and an article published later needs no new pass). Returns the number of (term, article) uses."""
    spellings = Spellings(GlossaryTerm.objects.only("pk", *_spelling_fields()))
    html_fields = [languages.localized("body_html", code) for code in languages.codes()]
    wanted = set()
    for article_id, *bodies in Article.objects.values_list("pk", *html_fields).iterator():
        text = "\n".join(plain_text(body) for body in bodies)
        wanted.update((term_id, article_id) for term_id in spellings.used_in(text))

    through = GlossaryTerm.used_in.through
    existing = set(through.objects.values_list("glossaryterm_id", "article_id"))
    stale = existing - wanted
    if stale:
        ids = through.objects.filter(glossaryterm_id__in={term for term, _article in stale}).values_list(
            "pk", "glossaryterm_id", "article_id"
        )
        through.objects.filter(pk__in=[pk for pk, term, article in ids if (term, article) in stale]).delete()
    through.objects.bulk_create(
        [through(glossaryterm_id=term, article_id=article) for term, article in wanted - existing]
    )
    return len(wanted)


def _spelling_fields():
    return [languages.localized(name, code) for name in ("term", "aliases") for code in languages.codes()]
