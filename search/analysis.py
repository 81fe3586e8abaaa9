"""One analyzer for indexing and querying, whatever the database.

Text is normalised (NFKC, so full-width ＤＯＣＫＥＲ is docker; case folded). Latin words are kept whole (the
database stems English). Chinese has no spaces, so each run of Chinese characters becomes overlapping
character bigrams, as Lucene's CJK analyzer does: 負載平衡 -> 負載 載平 平衡. The last character of a run is
added as a single-character token, so that every character starts some token and a one-character query
can be answered as a prefix match. A query is analysed the same way; Simplified input is converted to
Traditional first (OpenCC), and glossary terms add their translation (northbridge -> 北橋).
"""

import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK}]+|[^\W{CJK}_]+(?:['’][^\W{CJK}_]+)*")
CJK_RUN = re.compile(rf"^[{CJK}]+$")
LONGEST_GLOSSARY_PHRASE = 4  # words
TAG = re.compile(r"<[^>]+>")


def normalize(text):
    return unicodedata.normalize("NFKC", text or "").casefold()


def plain_text(rendered_html):
    """HTML as text (for indexing and snippets), single-spaced. (str.split() knows the same whitespace as the
    regular expression \\s, and joining its words costs a fifth of substituting every space.)"""
    return " ".join(html.unescape(TAG.sub(" ", rendered_html or "")).split())


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("s2tw")


def to_traditional(text):
    """Simplified Chinese to Traditional as written in Taiwan (characters; vocabulary comes from the glossary)."""
    if not re.search(f"[{CJK}]", text):
        return text
    return _converter().convert(text)


def words(text):
    """Latin words and runs of Chinese characters, normalised, in order."""
    return [match.group(0).replace("’", "'") for match in TOKEN.finditer(normalize(text))]


def is_cjk(word):
    return bool(CJK_RUN.match(word))


def bigrams(run):
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(run):
    """What is stored for one Chinese run: its bigrams, then its last character alone."""
    return [run] if len(run) == 1 else [*bigrams(run), run[-1]]


def analyse(text):
    """Text as the index stores it: space-separated tokens."""
    tokens = []
    for word in words(text):
        if is_cjk(word):
            tokens.extend(index_tokens(word))
        else:
            tokens.append(word)
    return " ".join(tokens)


# Queries


@dataclass(frozen=True)
class Alternative:
    """One way to match a query term: a Latin ``word``, a Chinese ``phrase`` of bigrams, or a ``prefix``."""

    kind: str
    tokens: tuple

    @classmethod
    def for_word(cls, word):
        if not is_cjk(word):
            return cls("word", (word,))
        if len(word) == 1:
            return cls("prefix", (word,))
        return cls("phrase", tuple(bigrams(word)))


@dataclass
class Term:
    text: str
    alternatives: list = field(default_factory=list)
    from_glossary: list = field(default_factory=list)  # the translations added, for display


@dataclass
class Query:
    text: str
    terms: list
    words: list

    @property
    def is_empty(self):
        return not self.terms

    @property
    def phrase(self):
        """The query's words as the index writes them, for the tier of titles holding them in this order
        ("kubeadm 升級" in 用 kubeadm 升級叢集, 容器 映像檔 in 容器映像檔); '' for a query of one word."""
        if len(self.words) < 2:
            return ""
        return " ".join(token for word in _joined(self.words) for token in (bigrams(word) if is_cjk(word) else [word]))

    @property
    def phrase_alternative(self):
        """The phrase as an Alternative that the engines look for in titles, or None."""
        return Alternative("phrase", tuple(self.phrase.split())) if self.phrase else None

    @property
    def common_words(self):
        """The query's words, when every one of them is in COMMON_WORDS; otherwise []."""
        if self.terms and all(term.text in COMMON_WORDS and not term.from_glossary for term in self.terms):
            return list(dict.fromkeys(term.text for term in self.terms))
        return []

    def highlight_words(self):
        """Every form a hit may contain, for highlighting the original text."""
        found = set()
        for term in self.terms:
            found.add(term.text)
            found.update(term.from_glossary)
        return sorted(found, key=len, reverse=True)


MAX_QUERY_WORDS = 12
# English function words found on nearly every page. A query of nothing else (``AND OR NOT``, ``the``) would
# list every page, so it is not run; with any other word beside them, they are searched as usual.
COMMON_WORDS = frozenset(
    # A list of words reads best as words.
    """
    a an the and or not no nor but if then else so as of to in on at by for from with into onto about
    is are was were be been being am do does did has have had can could will would shall should may might
    must it its this that these those there here i me my you your he him his she her we us our they them
    their what which who whom whose how why when where than too very all any each some such only also just
    """.split()  # noqa: SIM905
)


def parse(text, glossary=None):
    """Analyse a query. ``glossary`` maps a normalised term to its translations (see search.glossary)."""
    text = (text or "").replace("\x00", " ")
    query_words = words(to_traditional(text))[:MAX_QUERY_WORDS]
    glossary = glossary or {}
    terms, i = [], 0
    while i < len(query_words):
        # Longest glossary phrase starting here (English terms can be several words).
        for size in range(min(LONGEST_GLOSSARY_PHRASE, len(query_words) - i), 0, -1):
            phrase = " ".join(query_words[i : i + size])
            key = phrase.replace(" ", "") if all(is_cjk(w) for w in query_words[i : i + size]) else phrase
            entry = next((glossary[k] for k in (key, *_singulars(key)) if k in glossary), None)
            if entry:
                terms.append(_glossary_term(phrase, query_words[i : i + size], entry))
                i += size
                break
        else:
            word = query_words[i]
            terms.append(Term(text=word, alternatives=[Alternative.for_word(word)]))
            i += 1
    return Query(text=text.strip(), terms=terms, words=query_words)


def _singulars(key):
    """containers -> container, processes -> process, proxies -> proxy: plurals find their glossary entry."""
    if len(key) < 4 or is_cjk(key.replace(" ", "")):
        return []
    candidates = []
    if key.endswith("ies"):
        candidates.append(key[:-3] + "y")
    if key.endswith("es"):
        candidates.append(key[:-2])
    if key.endswith("s"):
        candidates.append(key[:-1])
    return candidates


def _glossary_term(phrase, phrase_words, translations):
    own = _alternatives_for_phrase(phrase_words)
    extra = []
    for translation in translations:
        extra.extend(_alternatives_for_phrase(words(translation)))
    alternatives = _without_redundant(list(dict.fromkeys([*own, *extra])))
    added = [translation for translation in translations if normalize(translation) != phrase]
    return Term(text=phrase, alternatives=alternatives, from_glossary=added)


def _contains(longer, shorter):
    size = len(shorter)
    return any(longer[i : i + size] == shorter for i in range(len(longer) - size + 1))


def _without_redundant(alternatives):
    """Drop an alternative that can only match where a shorter one already does ("port number" when
    "port" is there, "Kubernetes 叢集" when "叢集" is): fewer phrases for the engine to check, same hits."""
    kept = []
    for alternative in alternatives:
        if alternative.kind == "prefix":
            kept.append(alternative)
            continue
        covered = any(
            other is not alternative
            and other.kind != "prefix"
            and len(other.tokens) < len(alternative.tokens)
            and _contains(alternative.tokens, other.tokens)
            for other in alternatives
        )
        if not covered:
            kept.append(alternative)
    return kept


def _joined(phrase_words):
    """Neighbouring Chinese words as one run: Chinese has no spaces, so 負載 平衡 is written 負載平衡."""
    merged = []
    for word in phrase_words:
        if merged and is_cjk(word) and is_cjk(merged[-1]):
            merged[-1] += word
        else:
            merged.append(word)
    return merged


def _alternatives_for_phrase(phrase_words):
    """A multi-word phrase becomes one alternative: a phrase of all its tokens in order."""
    merged = _joined(phrase_words)
    if len(merged) == 1:
        return [Alternative.for_word(merged[0])]
    tokens = []
    for word in merged:
        tokens.extend(bigrams(word) if is_cjk(word) else [word])
    return [Alternative("phrase", tuple(tokens))]
