"""The glossary's index: which group (a letter, a 注音 initial, or 0–9) a term is filed under, in each language.

English pages file terms A–Z by the English term. Chinese pages file them by the 注音 (bopomofo) of the
Chinese term's first character, in ㄅㄆㄇㄈ… order, because 注音 is what readers in Taiwan learn first and
how their dictionaries and input methods order words; Chinese terms that start with a Latin letter (Pod,
kubelet) come after, under A–Z. Anything else (a digit, a symbol) goes under 0–9, last in both.
"""

import string
from dataclasses import dataclass
from functools import cached_property, lru_cache

from django.urls import reverse
from django.utils.translation import ngettext
from pypinyin import Style, lazy_pinyin, load_phrases_dict

from kb import languages

DIGITS = "0-9"
LATIN = tuple(string.ascii_lowercase)
# U+3105 ㄅ … U+3129 ㄩ: Unicode encodes 注音 in the order Taiwanese dictionaries use.
BOPOMOFO = tuple(chr(code) for code in range(0x3105, 0x312A))


# pypinyin's readings are the Mainland's; where Taiwan reads a word differently and that changes where a term
# is filed, its Taiwan reading (教育部《重編國語辭典》) is given here, per word, so that the character keeps its
# other readings elsewhere. 伺 is cì in 伺候 in both places, but 伺服器 is ㄙˋ ㄈㄨˊ ㄑㄧˋ in Taiwan.
TAIWAN_READINGS = {
    "伺服": [["sì"], ["fú"]],
    "伺服器": [["sì"], ["fú"], ["qì"]],
}
load_phrases_dict(TAIWAN_READINGS)


@dataclass(frozen=True)
class Group:
    key: str  # in URLs: "k", "ㄖ", "0-9"
    count: int

    @property
    def label(self):
        return "0–9" if self.key == DIGITS else self.key.upper()

    @property
    def count_label(self):
        # The index shows one per group: ngettext here costs a fraction of {% blocktranslate count %}.
        return ngettext("%(counter)s term", "%(counter)s terms", self.count) % {"counter": self.count}

    @cached_property
    def url(self):
        """The group's page in the active language (the index links it once per tile and once per line)."""
        return reverse("kb:glossary-group", kwargs={"group": self.key})


def order(language):
    """Every possible group key of ``language``, in the order the index shows them."""
    if language.startswith("zh"):
        return (*BOPOMOFO, *LATIN, DIGITS)
    return (*LATIN, DIGITS)


def term_text(term, language):
    """The term as a reader of ``language`` sees it (English when it has no translation)."""
    return getattr(term, languages.localized("term", language)) or term.term_en or term.slug


def group_of(term, language):
    """The key of the group ``term`` is filed under on ``language`` pages."""
    return _filing(term_text(term, language), language.startswith("zh"))[0]


def sort_key(term, language):
    return _filing(term_text(term, language), language.startswith("zh"))[1]


@lru_cache(maxsize=4096)
def _filing(text, by_bopomofo):
    """``(group key, sort key)`` of a term's text; a pure function of the text, so remembered."""
    text = text.strip()
    first = text[:1].lower()
    if first in LATIN:
        return first, (1, text.casefold())
    if by_bopomofo and first:
        # pypinyin reads the whole term, so that its phrase list picks the reading of a character with
        # several (行 in 行程 is ㄒㄧㄥˊ), with TAIWAN_READINGS where Taiwan reads a word differently;
        # heteronym=False (lazy_pinyin) takes the first reading.
        reading = lazy_pinyin(text, style=Style.BOPOMOFO, errors=lambda chars: [""] * len(chars))
        initial = next((char for char in reading[0] if char in BOPOMOFO), None) if reading else None
        if initial:
            return initial, (0, tuple(reading), text)
    return DIGITS, (2, text.casefold())


def by_group(terms, language):
    """``[(Group, [terms in reading order])]`` for every non-empty group, in index order."""
    buckets = {}
    for term in terms:
        buckets.setdefault(group_of(term, language), []).append(term)
    return [
        (Group(key, len(buckets[key])), sorted(buckets[key], key=lambda term: sort_key(term, language)))
        for key in order(language)
        if key in buckets
    ]


def groups(terms, language):
    """The non-empty groups of ``terms`` on ``language`` pages, in index order, with their counts."""
    return [group for group, _terms in by_group(terms, language)]
