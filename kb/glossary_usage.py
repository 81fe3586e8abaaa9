"""Which articles use which glossary terms ("Used in" on the glossary pages): the terms marked in their text.

kb.glossary_marks marks the first use of a term in every section of an article's stored HTML (never in code,
links or headings); the marks say which term they are (``data-term``), so using a term means having it
marked. This is worked out when content changes, never per request.
"""

import re

from django.db import transaction

from kb import content_version, languages
from kb.models import Article, GlossaryTerm

_MARKED = re.compile(r'<button type="button" class="term" [^>]*\bdata-term="([^"]+)"')


@transaction.atomic
def refresh_glossary_usage():
    """Recompute ``GlossaryTerm.used_in`` for every article (drafts too: readers' pages show published ones
    only, and an article published later needs no new pass). Returns the number of (term, article) uses."""
    term_ids = dict(GlossaryTerm.objects.values_list("slug", "pk"))
    html_fields = [languages.localized("body_html", code) for code in languages.codes()]
    wanted = set()
    for article_id, *bodies in Article.objects.values_list("pk", *html_fields).iterator():
        for body in bodies:
            wanted.update((term_ids[slug], article_id) for slug in _MARKED.findall(body or "") if slug in term_ids)

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
    if stale or wanted - existing:
        content_version.changed()  # "Used in" on the glossary pages; bulk writes send no signal
    return len(wanted)
