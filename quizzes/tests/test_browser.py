"""A learner takes a quiz in a real browser (fixtures in conftest.py)."""

import re
from urllib.parse import unquote

import pytest

from quizzes.forms import field_name
from quizzes.models import Attempt, Quiz
from quizzes.tests.factories import values

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, wrong_key=None):
    """Fill in the open attempt's form: every answer right, except the question ``wrong_key``."""
    attempt = Attempt.objects.open().get(quiz__slug="kubernetes-logging")
    for number, question in enumerate(attempt.snapshot["questions"], start=1):
        name = field_name(number)
        wrong = question["key"] == wrong_key
        if question["type"] == "short":
            text = question["accepted_display"]["zh-hant"][0]
            page.locator(f"input[name='{name}']").fill("wrong" if wrong else text)
            continue
        for value in values(question, correct=not wrong)[: 1 if wrong else None]:
            page.locator(f"input[name='{name}'][value='{value}']").check()


def test_learner_fails_reviews_the_section_retakes_and_completes_the_lesson(
    page, live_server, starting_content, django_user_model
):
    from accounts.models import Profile

    learner = django_user_model.objects.create_user("ayi", password="Quiz-Taker-2026")
    Profile.objects.create(user=learner, preferred_language="zh-hant")
    quiz = Quiz.objects.select_related("lesson__course").get(slug="kubernetes-logging")
    wrong = quiz.questions.filter(type="single").first()

    page.goto(f"{live_server.url}/zh-hant/accounts/login/?next=/zh-hant/quizzes/{quiz.slug}/")
    page.get_by_label("使用者名稱").fill("ayi")
    page.get_by_label("密碼").fill("Quiz-Taker-2026")
    page.get_by_role("button", name="登入").click()
    page.wait_for_url(f"**/zh-hant/quizzes/{quiz.slug}/")

    page.get_by_role("button", name="開始測驗").click()
    page.wait_for_url(re.compile(r"/zh-hant/quizzes/kubernetes-logging/attempts/\d+/$"))
    answer(page, wrong_key=wrong.key)
    page.get_by_role("button", name="提交答案").click()
    assert "答錯" in page.locator("li.question.is-wrong").first.inner_text()

    section = wrong.source_anchor_zh_hant
    review = page.locator("li.question.is-wrong .review-link a").first
    assert review.inner_text().startswith("複習：")
    review.click()
    page.wait_for_url(re.compile(rf"/zh-hant/articles/{wrong.source_article.slug}/#"))
    assert unquote(page.url.split("#", 1)[1]) == section
    assert page.locator(f"[id='{section}']").is_visible()
    assert page.locator("html").get_attribute("lang") == "zh-Hant"

    page.go_back()
    page.get_by_role("button", name="再試一次").click()
    answer(page)
    page.get_by_role("button", name="提交答案").click()
    assert "及格" in page.locator(".score-card h2").inner_text()
    assert "100%" in page.locator(".score-figure").inner_text()

    page.get_by_role("link", name="回到單元").click()
    page.wait_for_url(f"**/zh-hant/courses/{quiz.lesson.course.slug}/lessons/{quiz.lesson.slug}/")
    assert "你已經完成這個單元。" in page.locator(".lesson-status").inner_text()
