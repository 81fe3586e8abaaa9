import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.tests.factories import make_course
from learning.tests.test_review import submit
from quizzes import services as quiz_services
from quizzes.models import Attempt
from quizzes.tests.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def course_with_quizzes(user, *, attempts=()):
    """An enrolled course with two lessons, a quiz on the second; ``attempts`` are answer builders in order."""
    course = make_course(lessons=2)
    services.course_enrol(user=user, course=course)
    quiz = make_quiz(lesson=course.lessons.order_by("order").last(), attempts_allowed=3, time_limit_minutes=20)
    for number, answers in enumerate(attempts):
        submit(user, quiz, answers, when=timezone.now() - timedelta(days=10 - number))
    return course, quiz


class TestDashboard:
    def test_scores_attempts_left_resume_and_reviews(self, client, learner):
        _course, quiz = course_with_quizzes(learner, attempts=[wrong_answers, right_answers])
        open_attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        Attempt.objects.filter(pk=open_attempt.pk).update(deadline=timezone.now() + timedelta(minutes=12, seconds=30))
        client.force_login(learner)
        html = client.get("/en/dashboard/").content.decode()
        assert "Best 100%" in html and "Passed" in html
        assert "0 attempts left" in html  # three used, one of them still open
        assert f'href="{open_attempt.get_absolute_url()}">Resume</a>' in html and "12 minutes left" in html
        assert "Due for review: 4 questions" in html and 'href="/en/review/"' in html
        assert "Scores by attempt: 0%, 100% (pass mark 75%)" in html
        chart = re.search(r'<svg viewBox="0 0 160 48".*?</svg>', html, re.S).group(0)
        assert 'class="score-chart-line" points="4.0,44.0 156.0,4.0"' in chart
        chinese = client.get("/zh-hant/dashboard/").content.decode()
        assert "待複習：4 題" in chinese and "繼續作答" in chinese

    def test_a_completed_course_links_its_certificate(self, client, learner):
        course, _quiz = course_with_quizzes(learner, attempts=[right_answers])
        services.lesson_mark_complete(user=learner, lesson=course.lessons.order_by("order").first())
        client.force_login(learner)
        html = client.get("/en/dashboard/").content.decode()
        certificate = learner.certificates.get()
        assert "Completed on" in html and certificate.get_absolute_url() in html

    def test_the_number_of_queries_does_not_grow_with_courses(self, client, learner):
        client.force_login(learner)
        course_with_quizzes(learner, attempts=[wrong_answers])

        def count():
            with CaptureQueriesContext(connection) as queries:
                assert client.get("/en/dashboard/").status_code == 200
            return len(queries)

        client.get("/en/dashboard/")  # the first visit puts the wrong answers in the review queue
        one = count()
        for _ in range(19):
            course_with_quizzes(learner, attempts=[wrong_answers, right_answers])
        client.get("/en/dashboard/")
        assert count() == one <= 12
