"""The learning loop in a real browser (fixtures in conftest.py)."""

import re

import pytest

from courses import services
from courses.models import Certificate
from courses.tests.factories import make_course
from quizzes import services as quiz_services
from quizzes.models import Attempt
from quizzes.tests.factories import make_quiz, right_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_certificate_prints_on_one_a4_page(browser, live_server, django_user_model):
    learner = django_user_model.objects.create_user("mei", password="x", first_name="林美華 Lin Mei-hua")
    course = make_course(lessons=12, title_en="A course with a long title about kubeadm upgrades and logs")
    quiz = make_quiz(lesson=course.lessons.order_by("order").last())
    for lesson in course.lessons.all():
        services.lesson_mark_complete(user=learner, lesson=lesson)
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
    answers = {}
    for number, question in enumerate(attempt.snapshot["questions"], start=1):
        value = right_answers(attempt)[f"q{number}"]
        chosen = [c["id"] for n, c in enumerate(question["choices"], 1) if str(n) in value]
        answers[question["key"]] = {"choice_ids": chosen, "text": value if question["type"] == "short" else ""}
    quiz_services.attempt_submit(attempt=attempt, answers=answers)
    certificate = Certificate.objects.get(user=learner)
    for lang in ("en", "zh-hant"):
        page = browser.new_page()
        page.goto(f"{live_server.url}/{lang}/certificates/{certificate.code}/")
        pdf = page.pdf(format="A4", print_background=True)
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, lang
        page.close()
    assert Attempt.objects.get(pk=attempt.pk).passed
