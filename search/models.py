from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class Document(models.Model):
    """One page as search sees it: where it belongs and when it was published. Its text lives in the engine's
    index: on PostgreSQL the three vectors below (GIN-indexed; the columns stay empty elsewhere), on SQLite
    the FTS5 table ``search_fts`` whose rowid is this id (migration 0001).

    The id is the page's *freshness key*: its publication time in microseconds since 1970 (moved on by one
    when another page holds it), so that ordering by id is ordering by date, newest last, and both engines
    can list the newest matches by walking an index they already have (see search.index)."""

    id = models.BigIntegerField(primary_key=True)
    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    topic_id = models.BigIntegerField(null=True)
    published_at = models.DateTimeField()
    title_vector = SearchVectorField(null=True)
    headline_vector = SearchVectorField(null=True)  # summary, tags and topic
    search_vector = SearchVectorField(null=True)  # every field

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="one_search_document_per_page")]
        indexes = [
            GinIndex(fields=["title_vector"], name="search_title_gin"),
            GinIndex(fields=["headline_vector"], name="search_headline_gin"),
            GinIndex(fields=["search_vector"], name="search_vector_gin"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
