"""Writes to the knowledge base that do more than save one row.

Saving an article renders it (Article.save fills the fields computed from its own text); the service adds
what a save means for the rest of the site: a numbered revision that history, comparison and restore read.
"""

from django.db import transaction

from kb import languages
from kb.models import Article, ArticleRevision
from search import index


@transaction.atomic
def article_save(
    *,
    article: Article,
    editor=None,
    event: str = ArticleRevision.Event.SAVED,
    restored_from: int | None = None,
    renders=None,
    mark_terms: bool = True,
) -> ArticleRevision:
    """Save ``article`` and record its text as a new revision; ``event`` says what happened (one of
    ArticleRevision.Event), so that the history reads in every language. ``renders`` and ``mark_terms`` are
    passed to Article.save (an import has rendered every article already, and marks glossary terms once at
    the end)."""
    article.revision += 1
    article.save(renders=renders, mark_terms=mark_terms)
    return ArticleRevision.objects.create(
        article=article,
        number=article.revision,
        author=editor,
        event=event,
        restored_from=restored_from,
        data=article.revision_data(),
    )


def article_restore(*, article: Article, revision: ArticleRevision, editor) -> ArticleRevision:
    """Bring back the text of an earlier revision, as a new revision, and search finds the restored text."""
    for name in Article.TRANSLATED_TEXT:
        for code in languages.codes():
            setattr(article, languages.localized(name, code), revision.text(name, code))
    restored = article_save(
        article=article, editor=editor, event=ArticleRevision.Event.RESTORED, restored_from=revision.number
    )
    index.update(article)
    return restored
