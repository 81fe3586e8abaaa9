import pytest

from courses.models import Course
from courses.tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_instructor_edits_courses_and_lessons_but_cannot_delete(client, instructor):
    course = make_course()
    lesson = course.lessons.first()
    client.force_login(instructor)
    assert client.get("/admin/").status_code == 200
    page = client.get(f"/admin/courses/course/{course.pk}/change/").content.decode()
    assert 'name="title_zh_hant"' in page and 'name="description_zh_hant"' in page
    assert client.get(f"/admin/courses/lesson/{lesson.pk}/change/").status_code == 200
    assert client.get(f"/admin/courses/course/{course.pk}/delete/").status_code == 403
    assert client.get(f"/admin/kb/article/{lesson.articles.get().pk}/delete/").status_code == 403
    assert Course.objects.filter(pk=course.pk).exists()


def test_learners_cannot_reach_the_admin(client, learner):
    client.force_login(learner)
    assert client.get(f"/admin/courses/course/{make_course().pk}/change/").status_code == 302
