"""Query expansion from the glossary: a spelling in one language brings in the other language's term."""

from django.db.models import Count, Max

from kb import languages
from kb.search.analysis import is_cjk, words

_cache = {"version": None, "table": {}}


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


def expansions():
    """The expansion table, rebuilt only when the glossary changed (one small aggregate query to know)."""
    from kb.models import GlossaryTerm

    version = tuple(GlossaryTerm.objects.aggregate(count=Count("pk"), changed=Max("updated_at")).values())
    if version != _cache["version"]:
        _cache["table"] = build(GlossaryTerm.objects.all())
        _cache["version"] = version
    return _cache["table"]
