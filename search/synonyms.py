"""Query expansion: a spelling of one meaning brings in its other spellings (northbridge -> 北橋, 負載均衡 ->
負載平衡), from the groups the apps provide (search.documents.SynonymSource: kb's glossary).

The expansion table is kept in Django's cache (shared by every process when Redis is configured) under the
sources' versions: a search asks for the versions (one small query) and builds the table again only after
the synonyms changed.
"""

import hashlib

from django.core.cache import cache

from search.analysis import is_cjk, normalize, words
from search.documents import synonym_sources


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


def _current():
    """(expansion table, spellings) as the synonyms stand."""
    sources = synonym_sources()
    versions = repr([source.version() for source in sources]).encode()
    key = f"search-synonyms-{hashlib.sha256(versions).hexdigest()}"
    current = cache.get(key)
    if current is None:
        groups = [list(group) for source in sources for group in source.groups()]
        found = {}
        for group in groups:
            for spelling in group:
                found.setdefault(normalize(spelling), spelling)
        current = (table(groups), found)
        cache.set(key, current, timeout=24 * 60 * 60)
    return current


def expansions():
    """The expansion table (see table())."""
    return _current()[0]


def spellings():
    """``{normalised spelling: spelling}`` of every synonym, in every language."""
    return _current()[1]
