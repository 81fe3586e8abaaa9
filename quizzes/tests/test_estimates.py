"""A lesson's quiz adds a fixed time to the lesson's and the course's estimates (courses.estimates)."""

import pytest

from courses.models import Course
from courses.tests.factories import make_course, make_lesson
from kb.models import Article
from kb.tests.factories import make_article
from quizzes.estimates import QUIZ_MINUTES
from quizzes.models import Quiz
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def test_each_published_quiz_adds_a_fixed_time(client):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(reading_minutes_en=7, reading_minutes_zh_hant=7)
    course = make_course(lessons=0)
    lesson = make_lesson(course=course, order=1, articles=[article])
    make_quiz(lesson=lesson, article=article)
    make_quiz(lesson=lesson, article=article, status=Quiz.Status.DRAFT)
    assert QUIZ_MINUTES == 5
    assert Course.objects.with_minutes("en").get(pk=course.pk).minutes == 12
    assert "About 12 min" in client.get(course.get_absolute_url()).content.decode()
    assert "About 12 min" in client.get(lesson.get_absolute_url()).content.decode()
