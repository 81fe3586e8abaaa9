import json

import pytest
from django.test import Client

from courses import services
from courses.models import Certificate, Enrollment
from courses.tests.factories import make_course
from learning.models import ReviewCard
from learning.services import review_sync
from quizzes import services as quiz_services
from quizzes.models import Attempt, Quiz
from quizzes.tests.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-passphrase-42"


@pytest.fixture
def busy_learner(django_user_model):
    """A learner with a completed course and certificate, a failed attempt and a review queue."""
    user = django_user_model.objects.create_user("mei", password=PASSWORD, email="mei@example.org", first_name="Mei")
    course = make_course(lessons=1)
    quiz = make_quiz(lesson=course.lessons.get())
    client = Client()
    client.force_login(user)
    for answers in (wrong_answers, right_answers):
        attempt = quiz_services.attempt_start(user=user, quiz=quiz)
        client.post(attempt.get_absolute_url(), {**answers(attempt), "action": "submit"})
    services.lesson_mark_complete(user=user, lesson=course.lessons.get())
    review_sync(user=user)
    return user


def test_a_learner_downloads_everything_the_site_holds_about_them(client, busy_learner):
    client.force_login(busy_learner)
    response = client.get("/en/accounts/export/")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == "mei@example.org" and data["account"]["name"] == "Mei"
    assert len(data["courses"]["enrolments"]) == 1 and data["courses"]["certificates"][0]["code"]
    assert [attempt["passed"] for attempt in data["quizzes"]["attempts"]] == [False, True]
    assert (
        data["quizzes"]["attempts"][1]["answers"][0]["choices"] or data["quizzes"]["attempts"][1]["answers"][0]["text"]
    )
    assert len(data["learning"]["review_cards"]) == 4
    client.logout()
    assert client.get("/en/accounts/export/").status_code == 302


def test_deleting_needs_the_password_and_keeps_anonymous_statistics(client, busy_learner):
    certificate = Certificate.objects.get(user=busy_learner)
    client.force_login(busy_learner)
    assert "刪除你的帳號" in client.get("/zh-hant/accounts/delete/").content.decode()
    refused = client.post("/en/accounts/delete/", {"password": "not it"})
    assert refused.status_code == 400 and "nothing was deleted" in refused.content.decode()
    assert Enrollment.objects.filter(user=busy_learner).exists()
    response = client.post("/en/accounts/delete/", {"password": PASSWORD}, follow=True)
    assert "everything the site held about you are deleted" in response.content.decode()
    assert not type(busy_learner).objects.filter(username="mei").exists()
    assert Attempt.objects.filter(user=None).count() == 2  # statistics keep the attempts, without a name
    assert not ReviewCard.objects.exists() and not Enrollment.objects.exists()
    assert Client().get(certificate.get_absolute_url()).status_code == 404
    stats = Client()
    stats.force_login(type(busy_learner).objects.create_superuser("root", password="x"))
    html = stats.get(f"/en/quizzes/{Quiz.objects.get().slug}/statistics/").content.decode()
    assert "Submitted attempts</dt><dd>2</dd>" in html
