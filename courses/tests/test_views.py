import re

import pytest
from django.db import connection
from django.db.models import ProtectedError
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import Course, Enrollment, LessonProgress
from courses.tests.factories import make_course, make_lesson
from kb.models import Article
from kb.tests.factories import make_article

pytestmark = pytest.mark.django_db


def lesson_url(lesson, lang="en", action=""):
    return f"/{lang}/courses/{lesson.course.slug}/lessons/{lesson.slug}/{action + '/' if action else ''}"


def progress_text(html):
    match = re.search(r'<progress value="(\d+)" max="(\d+)"', html)
    return match and f"{match.group(1)}/{match.group(2)}"


class TestStartingCourses:
    def test_four_courses_cover_all_ten_articles_in_both_languages(self, starting_content):
        courses = Course.objects.published().prefetch_related("lessons__lesson_articles__article")
        assert courses.count() >= 4
        used = set()
        for course in courses:
            lessons = list(course.lessons.all())
            assert len(lessons) >= 3, course.slug
            assert course.title_zh_hant and course.description_html_zh_hant and course.description_html_en
            for lesson in lessons:
                assert lesson.intro_html_en and lesson.intro_html_zh_hant, lesson.slug
                used |= {item.article.slug for item in lesson.lesson_articles.all()}
        assert used == set(Article.objects.values_list("slug", flat=True))

    @pytest.mark.parametrize("lang", ["en", "zh-hant"])
    def test_every_course_and_lesson_page_answers(self, client, starting_content, lang):
        for course in Course.objects.all():
            response = client.get(f"/{lang}/courses/{course.slug}/")
            assert response.status_code == 200
            assert getattr(course, f"title_{lang.replace('-', '_')}") in response.content.decode()
            for lesson in course.lessons.all():
                assert client.get(lesson_url(lesson, lang)).status_code == 200


class TestCatalogue:
    @pytest.mark.parametrize(("lang", "title"), [("en", "Courses"), ("zh-hant", "課程")])
    def test_lists_published_courses(self, client, lang, title):
        visible = make_course()
        hidden = make_course(status=Course.Status.DRAFT)
        html = client.get(f"/{lang}/courses/").content.decode()
        assert f"<h1>{title}</h1>" in html
        assert visible.get_absolute_url().split("/", 2)[2] in html
        assert hidden.slug not in html

    def test_filters_by_topic_and_level(self, client):
        beginner = make_course(level=Course.Level.BEGINNER)
        advanced = make_course(level=Course.Level.ADVANCED)
        html = client.get("/en/courses/?level=advanced").content.decode()
        assert f"/courses/{advanced.slug}/" in html and f"/courses/{beginner.slug}/" not in html
        html = client.get(f"/en/courses/?topic={beginner.topic.slug}").content.decode()
        assert f"/courses/{beginner.slug}/" in html and f"/courses/{advanced.slug}/" not in html

    def test_unknown_filter_is_explained_and_shows_everything(self, client):
        course = make_course()
        response = client.get("/zh-hant/courses/?level=expert&topic=no-such-topic")
        assert response.status_code == 200
        html = response.content.decode()
        assert "沒有這個篩選條件，所以列出所有課程。" in html
        assert f"/courses/{course.slug}/" in html

    def test_shows_progress_of_enrolled_courses(self, client, learner):
        course = make_course(lessons=4)
        services.lesson_mark_complete(user=learner, lesson=course.lessons.first())
        client.force_login(learner)
        assert progress_text(client.get("/en/courses/").content.decode()) == "1/4"


class TestCoursePage:
    def test_anonymous_reader_sees_syllabus_and_enrol_button(self, client):
        course = make_course(lessons=3)
        html = client.get(f"/zh-hant/courses/{course.slug}/").content.decode()
        assert "報名這門課程" in html
        for lesson in course.lessons.all():
            assert lesson.title_zh_hant in html
        assert "<h2" in html  # the description was rendered from Markdown

    def test_draft_course_is_hidden_from_learners(self, client, learner, instructor):
        course = make_course(status=Course.Status.DRAFT)
        lesson = course.lessons.first()
        client.force_login(learner)
        assert client.get(f"/en/courses/{course.slug}/").status_code == 404
        assert client.get(lesson_url(lesson)).status_code == 404
        client.force_login(instructor)
        assert client.get(f"/en/courses/{course.slug}/").status_code == 200

    def test_unknown_course_and_lesson_are_404(self, client):
        course = make_course()
        assert client.get("/en/courses/nope/").status_code == 404
        assert client.get(f"/en/courses/{course.slug}/lessons/nope/").status_code == 404
        other = make_course()
        wrong = other.lessons.first()
        assert client.get(f"/en/courses/{course.slug}/lessons/{wrong.slug}x/").status_code == 404


class TestEnrolment:
    def test_anonymous_enrol_goes_to_login_and_back(self, client):
        course = make_course()
        response = client.post(f"/en/courses/{course.slug}/enrol/")
        assert response.status_code == 302
        assert response["Location"] == f"/en/accounts/login/?next=/en/courses/{course.slug}/"
        assert not Enrollment.objects.exists()

    def test_enrol_once(self, client, learner):
        course = make_course()
        client.force_login(learner)
        first = client.post(f"/en/courses/{course.slug}/enrol/", follow=True)
        assert "You are enrolled" in first.content.decode()
        second = client.post(f"/en/courses/{course.slug}/enrol/", follow=True)
        assert "already enrolled" in second.content.decode()
        assert Enrollment.objects.filter(user=learner, course=course).count() == 1
        assert progress_text(second.content.decode()) == "0/3"

    def test_enrol_needs_post_and_csrf(self, learner):
        course = make_course()
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        assert client.get(f"/en/courses/{course.slug}/enrol/").status_code == 405
        assert client.post(f"/en/courses/{course.slug}/enrol/").status_code == 403
        assert not Enrollment.objects.exists()

    def test_cannot_enrol_in_a_draft(self, client, learner):
        course = make_course(status=Course.Status.DRAFT)
        client.force_login(learner)
        assert client.post(f"/en/courses/{course.slug}/enrol/").status_code == 404


class TestProgress:
    def test_mark_complete_and_not_complete(self, client, learner):
        course = make_course(lessons=3)
        lesson = course.lessons.first()
        client.force_login(learner)
        response = client.post(lesson_url(lesson, "zh-hant", "complete"), follow=True)
        html = response.content.decode()
        assert "已將這個單元標記為完成。" in html
        assert "改回未完成" in html
        assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
        assert Enrollment.objects.filter(user=learner, course=course).exists()  # enrolled on the way

        again = client.post(lesson_url(lesson, "en", "complete"), follow=True)
        assert "already marked as complete" in again.content.decode()
        assert LessonProgress.objects.filter(user=learner).count() == 1

        client.post(lesson_url(lesson, "en", "incomplete"))
        assert not LessonProgress.objects.filter(user=learner).exists()
        assert Enrollment.objects.filter(user=learner, course=course).exists()

    def test_anonymous_mark_complete_goes_to_login_and_back_to_the_lesson(self, client):
        lesson = make_course().lessons.first()
        response = client.post(lesson_url(lesson, "en", "complete"))
        assert response["Location"] == f"/en/accounts/login/?next={lesson_url(lesson)}"
        assert not LessonProgress.objects.exists()

    def test_marking_needs_csrf(self, learner):
        lesson = make_course().lessons.first()
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        assert client.post(lesson_url(lesson, "en", "complete")).status_code == 403
        assert client.get(lesson_url(lesson, "en", "complete")).status_code == 405
        assert not LessonProgress.objects.exists()

    def test_progress_numbers_and_continue_where_you_left_off(self, client, learner):
        course = make_course(lessons=4)
        lessons = list(course.lessons.order_by("order"))
        for lesson in (lessons[0], lessons[2]):
            services.lesson_mark_complete(user=learner, lesson=lesson)
        client.force_login(learner)
        course_html = client.get(f"/en/courses/{course.slug}/").content.decode()
        assert progress_text(course_html) == "2/4"
        assert f'href="{lesson_url(lessons[1])}">Continue' in course_html.replace("\n", "").replace("  ", "")
        dashboard = client.get("/en/dashboard/").content.decode()
        assert progress_text(dashboard) == "2/4"
        resume = re.search(r'<section class="resume".*?</section>', dashboard, re.S).group(0)
        assert lesson_url(lessons[1]) in resume
        assert lessons[2].title_en in re.search(r'<ul class="recent-list">.*?</ul>', dashboard, re.S).group(0)

    def test_lesson_page_shows_articles_outline_and_neighbours(self, client, learner):
        course = make_course(lessons=3)
        first, second, third = course.lessons.order_by("order")
        services.lesson_mark_complete(user=learner, lesson=first)
        client.force_login(learner)
        html = client.get(lesson_url(second, "zh-hant")).content.decode()
        article = second.articles.get()
        assert article.body_html_zh_hant.split("</h2>", 1)[1] in html
        assert "請<strong>仔細</strong>閱讀。" in html
        assert f'href="{lesson_url(first, "zh-hant")}" rel="prev"' in html
        assert f'href="{lesson_url(third, "zh-hant")}" rel="next"' in html
        outline = re.search(r'<aside class="lesson-outline".*?</aside>', html, re.S).group(0)
        assert outline.count("<li") == 3 and outline.count("is-done") == 1

    def test_articles_met_before_are_collapsed_and_keep_unique_anchors(self, client):
        course = make_course(lessons=1)
        known = course.lessons.get().articles.get()
        fresh = make_article(body_en="## First section\n\nAnother article.")
        recap = make_lesson(course=course, order=2, articles=[known, fresh])
        html = client.get(lesson_url(recap)).content.decode()
        details = re.findall(r'<details class="reading-details"( open)?>', html)
        assert details == ["", " open"]
        assert f'id="{known.slug}--first-section"' in html
        assert f'id="{fresh.slug}--first-section"' in html


class TestDashboard:
    def test_needs_login(self, client):
        response = client.get("/zh-hant/dashboard/")
        assert response["Location"] == "/zh-hant/accounts/login/?next=/zh-hant/dashboard/"

    def test_shows_only_the_learners_own_courses(self, client, learner, django_user_model):
        mine, theirs = make_course(), make_course()
        other = django_user_model.objects.create_user("other", password="x")
        services.course_enrol(user=learner, course=mine)
        services.lesson_mark_complete(user=other, lesson=theirs.lessons.first())
        client.force_login(learner)
        html = client.get("/en/dashboard/").content.decode()
        assert mine.title_en in html
        assert theirs.title_en not in html
        assert "Recently completed" not in html
        client.force_login(other)
        assert mine.title_en not in client.get("/en/dashboard/").content.decode()

    def test_empty_dashboard_points_to_the_catalogue(self, client, learner):
        client.force_login(learner)
        html = client.get("/zh-hant/dashboard/").content.decode()
        assert "你還沒有報名任何課程。" in html

    def test_finished_course_says_so(self, client, learner):
        course = make_course(lessons=2)
        for lesson in course.lessons.all():
            services.lesson_mark_complete(user=learner, lesson=lesson)
        client.force_login(learner)
        html = client.get("/en/dashboard/").content.decode()
        assert progress_text(html) == "2/2"
        assert 'class="resume"' not in html


class TestQueryCounts:
    def enrol_in(self, user, courses, lessons_done):
        for course in courses:
            services.course_enrol(user=user, course=course)
            for lesson in list(course.lessons.all())[:lessons_done]:
                services.lesson_mark_complete(user=user, lesson=lesson)

    def count(self, client, path):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("page", ["catalogue", "course", "lesson"])
    def test_course_pages_do_not_grow(self, client, learner, page):
        client.force_login(learner)

        def path():
            course = Course.objects.order_by("-pk").first()
            lesson = course.lessons.last()
            return {"catalogue": "/en/courses/", "course": course.get_absolute_url(), "lesson": lesson_url(lesson)}[
                page
            ]

        self.enrol_in(learner, [make_course(lessons=2)], lessons_done=1)
        small = self.count(client, path())
        self.enrol_in(learner, [make_course(lessons=8) for _ in range(4)], lessons_done=4)
        assert self.count(client, path()) == small
        assert small <= {"catalogue": 4, "course": 10, "lesson": 8}[page]


class TestProtectedArticles:
    def test_an_article_used_by_a_lesson_cannot_be_deleted(self):
        course = make_course(lessons=1)
        article = course.lessons.get().articles.get()
        with pytest.raises(ProtectedError):
            article.delete()
        assert Article.objects.filter(pk=article.pk).exists()

    def test_admin_explains_why_it_cannot_delete(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("root", password="x")
        course = make_course(lessons=1)
        article = course.lessons.get().articles.get()
        client.force_login(admin)
        response = client.post(f"/admin/kb/article/{article.pk}/delete/", {"post": "yes"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "would require deleting the following protected related objects" in html
        assert course.lessons.get().title_en in html
        assert Article.objects.filter(pk=article.pk).exists()


def test_sitemap_lists_published_courses_in_both_languages(client):
    course, draft = make_course(), make_course(status=Course.Status.DRAFT)
    xml = client.get("/sitemap.xml").content.decode()
    assert f"http://testserver/en/courses/{course.slug}/" in xml
    assert f"http://testserver/zh-hant/courses/{course.slug}/" in xml
    assert draft.slug not in xml


def test_home_page_features_the_courses(client):
    course = make_course()
    html = client.get("/zh-hant/").content.decode()
    assert course.title_zh_hant in html
