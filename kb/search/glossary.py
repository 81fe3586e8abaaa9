"""Query expansion from the glossary: a spelling in one language brings in the other language's term."""

from kb import languages
from kb.search.analysis import is_cjk, words


def key(text):
    """How a spelling is looked up: its words, single-spaced (Chinese runs joined: 負載 平衡 -> 負載平衡)."""
    parts = words(text)
    if parts and all(is_cjk(part) for part in parts):
        return "".join(parts)
    return " ".join(parts)


def expansions():
    """``{spelling: [every other spelling of the same entry]}`` (one small query)."""
    from kb.models import GlossaryTerm

    table = {}
    for term in GlossaryTerm.objects.all():
        spellings = [spelling for code in languages.codes() for spelling in term.spellings(code)]
        for spelling in spellings:
            others = [other for other in spellings if key(other) != key(spelling)]
            if key(spelling):
                table.setdefault(key(spelling), [])
                table[key(spelling)].extend(o for o in others if o not in table[key(spelling)])
    return table
