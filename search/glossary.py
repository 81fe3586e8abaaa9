"""Query expansion from the glossary: a spelling in one language brings in the other language's term."""

import time

from django.db.models import Count, Max

from kb import languages
from search.analysis import is_cjk, normalize, words

_cache = {"version": None, "table": {}, "spellings": {}, "checked": 0.0}
# How long a process trusts its copy before asking the database whether the glossary changed.
RECHECK_SECONDS = 5


def key(text):
    """How a spelling is looked up: its words, single-spaced (Chinese runs joined: 負載 平衡 -> 負載平衡)."""
    parts = words(text)
    if parts and all(is_cjk(part) for part in parts):
        return "".join(parts)
    return " ".join(parts)


def build(terms):
    """``{spelling key: [every other spelling of the same entry]}``."""
    table = {}
    for term in terms:
        spellings = [(key(s), s) for code in languages.codes() for s in term.spellings(code)]
        for own_key, _spelling in spellings:
            if not own_key:
                continue
            others = table.setdefault(own_key, [])
            for other_key, other in spellings:
                if other_key != own_key and other not in others:
                    others.append(other)
    return table


def _current():
    """This process's copy, rebuilt only when the glossary changed (one small aggregate query to know)."""
    from kb.models import GlossaryTerm

    now = time.monotonic()
    if _cache["version"] is not None and now - _cache["checked"] < RECHECK_SECONDS:
        return _cache
    version = tuple(GlossaryTerm.objects.aggregate(count=Count("pk"), changed=Max("updated_at")).values())
    if version != _cache["version"]:
        terms = list(GlossaryTerm.objects.all())
        _cache["table"] = build(terms)
        spellings = {}
        for term in terms:
            for code in languages.codes():
                for spelling in term.spellings(code):
                    spellings.setdefault(normalize(spelling), spelling)
        _cache["spellings"] = spellings
        _cache["version"] = version
    _cache["checked"] = now
    return _cache


def expansions():
    """The expansion table (see build())."""
    return _current()["table"]


def spellings():
    """``{normalised spelling: spelling}`` of every term and alias, in both languages."""
    return _current()["spellings"]


def forget():
    """Drop this process's copy (after an edit in this process, and between tests)."""
    _cache["version"] = None
