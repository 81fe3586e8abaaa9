"""The header's instructor menu: the admin, the translations to do (with their number) and course analytics,
for authors only, at no cost to anyone else's pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from authoring import translations_to_do
from courses.tests.factories import make_course
from kb.tests.factories import make_article
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_to_do():
    """One item of each kind needing translation (missing or out of date), and items that need nothing."""
    make_article(languages=("en",), title_en="Needs Chinese")
    stale = make_article(title_en="Stale Chinese")
    stale.body_en += "\nNew paragraph."
    stale.save()
    course = make_course(lessons=2, title_zh_hant="")
    lesson = course.lessons.first()
    lesson.title_en += " (rewritten)"
    lesson.save()
    quiz = make_quiz()
    quiz.title_zh_hant = ""
    quiz.save()
    make_article(title_en="All good")
    return 5  # two articles, the course, one lesson, the quiz


def menu(html):
    found = re.search(r'<details class="instructor-menu">.*?</details>', html, re.S)
    return found.group(0) if found else None


def test_instructors_get_the_admin_the_translations_to_do_and_the_analytics(client, instructor, work_to_do):
    client.force_login(instructor)
    items = menu(client.get("/en/").content.decode())
    assert items is not None
    assert 'href="/admin/"' in items
    assert re.search(
        r'href="/en/authoring/translations/"[^>]*>Translations to do <span class="menu-count">5</span>', items
    )
    assert 'href="/en/authoring/analytics/"' in items
    chinese = menu(client.get("/zh-hant/").content.decode())
    assert "講師" in chinese and "待翻譯" in chinese and "課程分析" in chinese


def test_the_number_is_what_the_dashboard_lists(client, instructor, work_to_do):
    client.force_login(instructor)
    dashboard = client.get("/en/authoring/translations/").content.decode()
    listed = len(re.findall(r'<a href="/admin/\w+/\w+/\d+/change/"', dashboard))
    assert listed == work_to_do == translations_to_do.count()


def test_the_number_costs_one_query(instructor, work_to_do):
    with CaptureQueriesContext(connection) as queries:
        assert translations_to_do.count() == work_to_do
    assert len(queries) == 1


def test_learners_and_visitors_pages_neither_show_nor_count_it(client, learner, staff_only, monkeypatch):
    make_article()

    def must_not_count():
        raise AssertionError("counted the translations to do for someone who is not an author")

    monkeypatch.setattr(translations_to_do, "count", must_not_count)
    for user in (None, learner, staff_only):
        if user is not None:
            client.force_login(user)
        for path in ("/en/", "/en/articles/", "/zh-hant/dashboard/" if user else "/zh-hant/"):
            response = client.get(path)
            assert response.status_code == 200
            assert menu(response.content.decode()) is None


def test_an_instructors_page_counts_once(client, instructor, monkeypatch):
    calls = []
    monkeypatch.setattr(translations_to_do, "count", lambda: calls.append(1) or 7)
    client.force_login(instructor)
    html = client.get("/en/articles/").content.decode()
    assert '<span class="menu-count">7</span>' in menu(html)
    assert calls == [1]


def test_the_analytics_index_lists_every_course_for_authors_only(client, learner, instructor):
    published = make_course(lessons=1, title_en="Running clusters")
    draft = make_course(lessons=1, title_en="Next term", status="draft")
    assert client.get("/en/authoring/analytics/").status_code == 302
    client.force_login(learner)
    assert client.get("/en/authoring/analytics/").status_code == 403
    client.force_login(instructor)
    html = client.get("/en/authoring/analytics/").content.decode()
    for course in (published, draft):
        assert f'href="/en/courses/{course.slug}/analytics/"' in html
        assert f'href="/en/courses/{course.slug}/analytics/progress.csv"' in html
    assert "Running clusters" in html and "Next term" in html
    assert "課程分析" in client.get("/zh-hant/authoring/analytics/").content.decode()
