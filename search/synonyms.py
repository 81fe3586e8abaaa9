"""Query expansion: a spelling of one meaning brings in its other spellings (northbridge -> 北橋, 負載均衡 ->
負載平衡), from the groups the apps provide (search.documents.synonym_groups: kb's glossary)."""

from search.analysis import is_cjk, normalize, words
from search.documents import synonym_groups


def key(text):
    """How a spelling is looked up: its words, single-spaced (Chinese runs joined: 負載 平衡 -> 負載平衡)."""
    parts = words(text)
    if parts and all(is_cjk(part) for part in parts):
        return "".join(parts)
    return " ".join(parts)


def table(groups):
    """``{spelling key: [every other spelling of the same group]}``."""
    found = {}
    for group in groups:
        spellings = [(key(spelling), spelling) for spelling in group]
        for own_key, _spelling in spellings:
            if not own_key:
                continue
            others = found.setdefault(own_key, [])
            for other_key, other in spellings:
                if other_key != own_key and other not in others:
                    others.append(other)
    return found


def expansions():
    """The expansion table of the synonyms as they stand (see table())."""
    return table(synonym_groups())


def spellings():
    """``{normalised spelling: spelling}`` of every synonym, in every language."""
    found = {}
    for group in synonym_groups():
        for spelling in group:
            found.setdefault(normalize(spelling), spelling)
    return found
