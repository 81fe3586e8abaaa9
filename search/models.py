from django.db import models
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """One searchable page (an article or a course) as the search index sees it: analysed text of both
    languages per field. PostgreSQL adds tsvector columns and GIN indexes to this table, SQLite an FTS5
    table (migration 0001); search.index fills them."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        COURSE = "course", _("Course")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    topic_id = models.BigIntegerField()
    published_at = models.DateTimeField()
    # Analysed titles and summaries, for the phrase bonus; the body lives only in the engine's index.
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_page")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
