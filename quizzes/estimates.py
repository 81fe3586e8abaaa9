"""A quiz's share of a lesson's time estimate (courses.estimates): a fixed time per published quiz, whatever
its number of questions, since a short quiz is read and answered in about that."""

from django.db.models import Func, IntegerField, Subquery
from django.db.models.functions import Coalesce

from quizzes.models import Quiz

QUIZ_MINUTES = 5


def minutes(**lessons):
    """The minutes of the published quizzes of the lessons ``lessons`` selects (``lesson=OuterRef("pk")``)."""
    count = Quiz.objects.published().filter(**lessons).order_by()
    count = count.annotate(n=Func("pk", function="COUNT", output_field=IntegerField())).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0) * QUIZ_MINUTES
