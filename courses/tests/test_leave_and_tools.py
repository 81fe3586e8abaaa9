"""A learner can leave a course (keeping what they finished); instructors find an Edit link on every page
they can edit, and nobody else does."""

import pytest

from courses import services
from courses.models import Enrollment, LessonProgress
from courses.tests.factories import make_course
from kb.tests.factories import make_article
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def test_leaving_a_course_keeps_the_lessons_done(client, learner):
    course = make_course(lessons=2)
    services.lesson_mark_complete(user=learner, lesson=course.lessons.first())
    client.force_login(learner)
    assert "Leave this course" in client.get(f"/en/courses/{course.slug}/").content.decode()
    response = client.post(f"/en/courses/{course.slug}/leave/", follow=True)
    assert response.redirect_chain[-1][0] == "/en/dashboard/"
    assert "You left the course." in response.content.decode()
    assert not Enrollment.objects.filter(user=learner, course=course).exists()
    assert LessonProgress.objects.filter(user=learner).count() == 1
    assert client.get(f"/en/courses/{course.slug}/leave/").status_code == 405


def test_leaving_needs_an_account(client):
    course = make_course()
    response = client.post(f"/en/courses/{course.slug}/leave/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_instructors_get_edit_links_and_learners_do_not(client, instructor, learner):
    course = make_course(lessons=1)
    lesson = course.lessons.first()
    article = make_article()
    quiz = make_quiz()
    pages = {
        f"/en/articles/{article.slug}/": f"/admin/kb/article/{article.pk}/change/",
        f"/en/courses/{course.slug}/": f"/admin/courses/course/{course.pk}/change/",
        lesson.get_absolute_url(): f"/admin/courses/lesson/{lesson.pk}/change/",
        f"/en/quizzes/{quiz.slug}/": f"/admin/quizzes/quiz/{quiz.pk}/change/",
    }
    for user, shown in ((instructor, True), (learner, False)):
        client.force_login(user)
        for page, edit in pages.items():
            assert (f'href="{edit}"' in client.get(page).content.decode()) is shown, (user, page)
