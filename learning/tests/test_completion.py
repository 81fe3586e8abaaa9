"""A course is complete when every lesson is done and every quiz of its lessons is passed; completing it
issues a certificate that anyone with the link can open, that its holder can revoke, and that later
changes to the course do not alter."""

import re

import pytest
from django.test import Client

from courses import services
from courses.models import Certificate, Enrollment
from courses.tests.factories import make_course
from quizzes import services as quiz_services
from quizzes.models import Quiz
from quizzes.tests.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


def take(client, quiz, answers):
    started = client.post(f"/en/quizzes/{quiz.slug}/start/")
    attempt = Quiz.objects.get(pk=quiz.pk).attempts.latest("pk")
    assert started.status_code == 302
    return client.post(attempt.get_absolute_url(), {**answers(attempt), "action": "submit"}, follow=True)


@pytest.fixture
def course_with_quiz():
    course = make_course(lessons=2)
    quiz = make_quiz(lesson=course.lessons.order_by("order").last())
    return course, quiz


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def tick(client, lesson):
    return client.post(f"/en/courses/{lesson.course.slug}/lessons/{lesson.slug}/complete/", follow=True)


class TestCompletion:
    def test_every_lesson_ticked_with_the_quiz_failed_says_what_is_left(self, signed_in, learner, course_with_quiz):
        course, quiz = course_with_quiz
        take(signed_in, quiz, wrong_answers)
        first, second = course.lessons.order_by("order")
        tick(signed_in, first)
        html = tick(signed_in, second).content.decode()
        assert "Every lesson is done. To complete the course, you still need:" in html
        assert f"{quiz.title_en} (best score 0 %, pass mark 75 %)" in html
        assert not Enrollment.objects.get(user=learner, course=course).completed_at
        assert not Certificate.objects.exists()
        page = signed_in.get(course.get_absolute_url()).content.decode()
        assert "To complete this course" in page and f'href="/en/quizzes/{quiz.slug}/"' in page
        chinese = signed_in.get(f"/zh-hant/courses/{course.slug}/").content.decode()
        assert "完成這門課程還需要" in chinese and "最佳成績 0 %，及格分數 75 %" in chinese

    def test_passing_the_last_quiz_completes_the_course_and_issues_a_certificate(
        self, signed_in, learner, course_with_quiz
    ):
        course, quiz = course_with_quiz
        for lesson in course.lessons.all():
            tick(signed_in, lesson)
        assert not Certificate.objects.exists()
        take(signed_in, quiz, right_answers)
        enrollment = Enrollment.objects.get(user=learner, course=course)
        certificate = Certificate.objects.get(user=learner, course=course)
        assert enrollment.completed_at == certificate.issued_at
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", certificate.code)
        assert "You completed this course on" in signed_in.get(course.get_absolute_url()).content.decode()

    def test_the_order_does_not_matter(self, signed_in, learner, course_with_quiz):
        course, quiz = course_with_quiz
        take(signed_in, quiz, right_answers)  # passing it marks its own lesson done
        assert not Certificate.objects.exists()
        response = tick(signed_in, course.lessons.order_by("order").first())
        assert "You completed the course. Your certificate is ready to share." in response.content.decode()
        assert Certificate.objects.filter(user=learner, course=course).count() == 1

    def test_a_draft_course_is_never_completed(self, learner):
        course = make_course(lessons=1, status="draft")
        services.lesson_mark_complete(user=learner, lesson=course.lessons.get())
        assert not Certificate.objects.exists()


class TestCertificate:
    @pytest.fixture
    def certificate(self, learner, course_with_quiz):
        course, quiz = course_with_quiz
        learner.first_name = "Lin Mei-hua"
        learner.save()
        for lesson in course.lessons.all():
            services.lesson_mark_complete(user=learner, lesson=lesson)
        attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        client = Client()
        client.force_login(learner)
        client.post(attempt.get_absolute_url(), {**right_answers(attempt), "action": "submit"})
        return Certificate.objects.get(user=learner)

    @pytest.mark.parametrize(
        ("lang", "texts"),
        [
            ("en", ["Certificate of completion", "Lin Mei-hua", "Course ", "100 %", "To check this certificate"]),
            ("zh-hant", ["結業證書", "Lin Mei-hua", "課程 ", "100 %", "若要查核這份證書"]),
        ],
    )
    def test_anyone_with_the_link_can_open_it_in_either_language(self, certificate, lang, texts):
        html = Client().get(f"/{lang}/certificates/{certificate.code}/").content.decode()
        for text in texts:
            assert text in html
        assert f"http://testserver/{lang}/certificates/{certificate.code}/" in html
        assert '<meta name="robots" content="noindex">' in html

    def test_later_changes_to_the_course_do_not_change_it(self, certificate):
        course = certificate.course
        course.title_en = "A renamed course"
        course.save()
        course.lessons.first().delete()
        html = Client().get(certificate.get_absolute_url()).content.decode()
        assert "A renamed course" not in html and certificate.record["course"]["en"] in html
        assert html.count("<li>") >= 2

    def test_the_holder_can_revoke_it_and_get_a_new_link(self, certificate, learner, django_user_model):
        other = Client()
        other.force_login(django_user_model.objects.create_user("someone-else", password="x"))
        assert other.post(f"/en/certificates/{certificate.code}/revoke/").status_code == 404
        assert Client().post(f"/en/certificates/{certificate.code}/revoke/").status_code == 302  # log in first
        holder = Client()
        holder.force_login(learner)
        holder.post(f"/en/certificates/{certificate.code}/revoke/")
        assert Client().get(certificate.get_absolute_url()).status_code == 404
        response = holder.post(f"/en/courses/{certificate.course.slug}/certificate/")
        renewed = Certificate.objects.valid().get(user=learner)
        assert response["Location"] == renewed.get_absolute_url()
        assert renewed.code != certificate.code and renewed.record == certificate.record

    def test_an_unknown_code_is_404(self, client):
        assert client.get("/en/certificates/not-a-real-code/").status_code == 404
