import csv
import io

import pytest
from django.test import Client

from courses import services
from courses.tests.factories import make_course
from quizzes import services as quiz_services
from quizzes.tests.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(django_user_model):
    """Eight learners: three finish everything, the others stop part way; the quiz has seven attempts."""
    course = make_course(lessons=3)
    quiz = make_quiz(lesson=course.lessons.order_by("order").last())
    question = quiz.questions.first()
    question.prompt_en = "Does the CPU list `vmx` or `<svm>` & more?"
    question.save()
    lessons = list(course.lessons.order_by("order"))
    for number in range(8):
        user = django_user_model.objects.create_user(
            f"learner{number}", password="x", email=f"private{number}@example.org", first_name=f"Learner {number}"
        )
        services.course_enrol(user=user, course=course)
        for lesson in lessons[: 3 if number < 3 else number % 3]:
            services.lesson_mark_complete(user=user, lesson=lesson)
        if number < 7:
            attempt = quiz_services.attempt_start(user=user, quiz=quiz)
            client = Client()
            client.force_login(user)
            answers = right_answers(attempt) if number < 3 else wrong_answers(attempt)
            client.post(attempt.get_absolute_url(), {**answers, "action": "submit"})
    first = django_user_model.objects.get(username="learner0")
    first.first_name = '=HYPERLINK("http://evil.example")'
    first.save()
    return course


def test_instructors_see_enrolments_the_funnel_quizzes_and_the_hardest_questions(client, instructor, course):
    client.force_login(instructor)
    html = client.get(f"/en/courses/{course.slug}/analytics/").content.decode()
    assert "<dt>Enrolled</dt><dd>8</dd>" in html and "<dt>Completed</dt><dd>3</dd>" in html
    assert "3 (38%)" in html  # three of eight finished the last lesson
    assert "43%" in html  # three of seven passed the quiz
    assert "Discrimination" in html and "1.00" in html  # right answers came from the strongest attempts only
    assert "private0@example.org" not in html
    assert "Does the CPU list vmx or &lt;svm&gt; &amp; more?" in html  # the prompt as text, not its Markdown
    assert "分析" in client.get(f"/zh-hant/courses/{course.slug}/analytics/").content.decode()


def test_the_csv_has_a_row_per_learner_and_nothing_private(client, instructor, course):
    client.force_login(instructor)
    response = client.get(f"/en/courses/{course.slug}/analytics/progress.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Username" and rows[0][-1] == "Completed on"
    assert len(rows) == 9
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["learner1"][3] == "3/3" and by_name["learner1"][4] == "100" and by_name["learner1"][-1]
    assert by_name["learner0"][1].startswith("'=")  # a spreadsheet reads it as text, not as a formula
    assert by_name["learner7"][4] == ""
    assert "@example.org" not in response.content.decode("utf-8-sig")


@pytest.mark.parametrize("suffix", ["", "progress.csv"])
def test_only_instructors_reach_them(client, course, learner, staff_only, suffix):
    url = f"/en/courses/{course.slug}/analytics/{suffix}"
    assert client.get(url).status_code == 302
    for user in (learner, staff_only):
        client.force_login(user)
        assert client.get(url).status_code == 403
