"""What the knowledge base gives search (see search.documents): articles, the glossary's spellings, and the
names of topics and tags for "Did you mean"."""

from django.db.models import Count, Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kb import glossary_marks, languages
from kb.models import Article, GlossaryTerm, Tag, Topic
from search.analysis import plain_text
from search.documents import DocumentKind, Entry, Shown, SynonymSource


def _each_language(page, name):
    return {code: getattr(page, languages.localized(name, code)) or "" for code in languages.codes()}


class ArticleDocument(DocumentKind):
    name = "article"
    label = _("Article")
    model = "kb.Article"

    def indexed(self):
        # Scheduled articles too: search lists no page before its publication time.
        published = Article.objects.filter(status=Article.Status.PUBLISHED, published_at__isnull=False)
        return published.select_related("topic").prefetch_related("tags")

    def entry(self, article):
        if article.status != Article.Status.PUBLISHED or article.published_at is None:
            return None
        named = [*article.tags.all(), article.topic]
        return Entry(
            kind=self.name,
            object_id=article.pk,
            topic_id=article.topic_id,
            published_at=article.published_at,
            texts={
                "title": _each_language(article, "title"),
                "summary": _each_language(article, "summary"),
                "tags": {
                    code: " ".join(getattr(item, languages.localized("name", code)) or "" for item in named)
                    for code in languages.codes()
                },
                # The popovers of glossary marks hold the other language's words: never indexed.
                "body": {
                    code: plain_text(glossary_marks.unmark(html))
                    for code, html in _each_language(article, "body_html").items()
                },
            },
        )

    def shown(self, ids):
        names = ["slug", "topic_id"] + [
            languages.localized(name, code) for name in ("title", "summary", "body_html") for code in languages.codes()
        ]
        found = {}
        for row in Article.objects.filter(pk__in=ids).values("pk", *names):
            found[row["pk"]] = Shown(
                url=reverse("kb:article-detail", kwargs={"slug": row["slug"]}),
                topic_id=row["topic_id"],
                texts={
                    code: (
                        row[languages.localized("title", code)] or "",
                        row[languages.localized("summary", code)] or "",
                        glossary_marks.unmark(row[languages.localized("body_html", code)] or ""),
                    )
                    for code in languages.codes()
                },
            )
        return found


class GlossarySynonyms(SynonymSource):
    """Each glossary term's spellings, in every language: a search for one also looks for the others."""

    def version(self):
        return tuple(GlossaryTerm.objects.aggregate(count=Count("pk"), changed=Max("updated_at")).values())

    def groups(self):
        for term in GlossaryTerm.objects.all():
            yield [spelling for code in languages.codes() for spelling in term.spellings(code)]


def topic_and_tag_names():
    for model in (Topic, Tag):
        for names in model.objects.values_list(*(languages.localized("name", code) for code in languages.codes())):
            yield from (name for name in names if name)
