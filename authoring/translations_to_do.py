"""What needs translating: the items the translation dashboard lists, and how many there are (the header's
instructor menu shows the number)."""

from django.utils.translation import gettext_lazy as _

from courses.models import Course, Lesson
from kb.models import Article
from kb.translation_status import needs_translation_q
from quizzes.models import Quiz

# (model, its admin's URL prefix, the dashboard's heading)
SECTIONS = (
    (Article, "kb_article", _("Articles")),
    (Course, "courses_course", _("Courses")),
    (Lesson, "courses_lesson", _("Lessons")),
    (Quiz, "quizzes_quiz", _("Quizzes")),
)


def needing_translation(model):
    return model.objects.filter(needs_translation_q(model))


def count() -> int:
    """How many items need translating, in one query: a count over the union of each table's matching ids."""
    first, *others = (needing_translation(model).order_by().values("pk") for model, _admin, _label in SECTIONS)
    return first.union(*others, all=True).count()
