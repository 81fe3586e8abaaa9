"""How long a course or a lesson takes, shown as "About 1 h 20 min" on course cards, course pages and lessons.

The rule, in minutes:
- each article's reading time (``Article.reading_minutes``, worked out per language when it is saved) in the
  reader's language, or the other language's when the reader's has none;
- an article counts once per course, in the first lesson (by order) that reads it; later lessons review it;
- only articles the reader may see count (course lists: published ones);
- other apps add minutes per lesson without this app knowing them: an app names a function on its AppConfig
  (``lesson_minutes = ("quizzes.estimates.minutes",)``) that takes lookups selecting lessons
  (``lesson__course=OuterRef("pk")`` or ``lesson=OuterRef("pk")``) and returns an expression of their minutes
  (the quizzes app: a fixed time per published quiz).

Course lists annotate the total in the query that reads the courses (``CourseQuerySet.with_minutes``); the
course page adds up its lessons from the rows it has already read (``syllabus_minutes``).
"""

from django.apps import apps
from django.db.models import F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.module_loading import import_string

from kb import languages


def article_minutes(article, language):
    """An article's reading time for a reader of ``language`` (an Article row)."""
    own = getattr(article, languages.localized("reading_minutes", language)) or 0
    return own or max((getattr(article, languages.localized("reading_minutes", code)) or 0)
                      for code in languages.others(language))  # fmt: skip


def _reading_expression(language):
    other = languages.others(language)[0]
    return Coalesce(
        NullIf(F(languages.localized("reading_minutes", language)), 0),
        F(languages.localized("reading_minutes", other)),
        0,
        output_field=IntegerField(),
    )


def _providers():
    return [import_string(path) for app in apps.get_app_configs() for path in getattr(app, "lesson_minutes", ())]


def extra_minutes(**lessons):
    """What other apps add for the lessons ``lessons`` selects, as one expression (0 when none do)."""
    total = Value(0, output_field=IntegerField())
    for provider in _providers():
        total = total + provider(**lessons)
    return total


def course_minutes(language):
    """An expression for a Course queryset: its minutes for a reader of ``language`` (see the module's rule)."""
    from courses.models import LessonArticle
    from kb.models import Article

    used = LessonArticle.objects.filter(lesson__course=OuterRef(OuterRef("pk"))).values("article_id")
    # SUM written as a plain function, so the subquery adds no GROUP BY: one row, the course's total.
    reading = (
        Article.objects.published()
        .filter(pk__in=used)
        .order_by()
        .annotate(total=Func(_reading_expression(language), function="SUM", output_field=IntegerField()))
        .values("total")
    )
    return Coalesce(Subquery(reading, output_field=IntegerField()), 0) + extra_minutes(lesson__course=OuterRef("pk"))


def syllabus_minutes(lessons, language):
    """Set ``minutes`` on each lesson (in course order, with ``lesson_articles`` and their articles prefetched
    and ``extra_minutes`` annotated) and return the course's total."""
    seen = set()
    total = 0
    for lesson in lessons:
        fresh = [item.article for item in lesson.lesson_articles.all() if item.article_id not in seen]
        seen.update(article.pk for article in fresh)
        lesson.minutes = sum(article_minutes(article, language) for article in fresh) + lesson.extra_minutes
        total += lesson.minutes
    return total
