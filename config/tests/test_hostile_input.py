"""NUL characters and oversize values anywhere in a request: a 400 or a form error, never a 500 (PostgreSQL
refuses NUL in text, so an unchecked value would fail in the database)."""

import re

import pytest
from django.test import Client

from courses.models import Course
from kb.models import Article
from quizzes.models import Quiz

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
LONG = "x" * 20_000
PARAMETERS = ("q", "page", "topic", "kind", "level", "next", "tag", "compare", "language")


def _public_urls():
    article = Article.objects.published().first()
    course = Course.objects.published().first()
    lesson = course.lessons.first()
    quiz = Quiz.objects.published().first()
    return [
        "/en/",
        "/zh-hant/articles/",
        article.get_absolute_url(),
        article.topic.get_absolute_url(),
        "/en/search/",
        "/en/glossary/",
        "/en/courses/",
        course.get_absolute_url(),
        lesson.get_absolute_url(),
        quiz.get_absolute_url(),
        "/en/dashboard/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
        "/en/accounts/password/reset/",
        "/en/authoring/translations/",
        f"/en/articles/{article.slug}/history/",
        "/en/feed/",
        "/sitemap.xml",
        "/admin/kb/article/",
    ]


@pytest.fixture
def logged_in(starting_content, django_user_model):
    user = django_user_model.objects.create_superuser("root-editor", "root@example.org", "a-long-passphrase-42")
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("value", [NUL, LONG, "%", "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")])
def test_query_strings(logged_in, value):
    failures = []
    for url in _public_urls():
        response = logged_in.get(url, dict.fromkeys(PARAMETERS, value))
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/kb/article/?status=%00",
        "/admin/courses/course/?level=%00",
        "/admin/quizzes/question/?type=%00",
        "/admin/quizzes/quiz/?show_answers=%00",
        "/admin/kb/article/?topic__id__exact=%00",
        "/admin/kb/article/?q=%00",
        "/admin/autocomplete/?term=%00&app_label=kb&model_name=article&field_name=topic",
        "/en/search/?q=%00",
    ],
)
def test_nul_in_a_query_string_is_a_400_on_every_database(logged_in, url):
    response = logged_in.get(url)
    assert response.status_code == 400, url
    assert "Bad request" in response.content.decode()


def test_paths(logged_in):
    article = Article.objects.published().first()
    for path in (f"/en/articles/{article.slug}%00/", "/en/articles/%00/", "/zh-hant/courses/a%00b/", "/en/%00"):
        assert logged_in.get(path).status_code in {400, 404}, path
    assert logged_in.get("/en/articles/" + "x" * 5000 + "/").status_code == 404


@pytest.mark.parametrize("value", [NUL, LONG])
def test_forms(starting_content, value):
    anonymous = Client(raise_request_exception=False)
    posts = {
        "/en/accounts/login/": {"username": value, "password": value},
        "/en/accounts/signup/": {
            "username": value,
            "email": value,
            "password1": value,
            "password2": value,
            "preferred_language": value,
        },
        "/en/accounts/password/reset/": {"email": value},
    }
    for url, data in posts.items():
        response = anonymous.post(url, data)
        assert response.status_code in {200, 400}, (url, response.status_code)
        if response.status_code == 200:
            html = response.content.decode()
            assert "errorlist" in html or "form-errors" in html, url


@pytest.mark.parametrize("value", [NUL, LONG])
def test_quiz_answers(starting_content, django_user_model, value):
    learner = django_user_model.objects.create_user("learner-x", password="a-long-passphrase-42")
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    quiz = Quiz.objects.published().first()
    started = client.post(f"{quiz.get_absolute_url()}start/")
    assert started.status_code == 302
    attempt_url = started["Location"]
    page = client.get(attempt_url).content.decode()
    names = set(re.findall(r'name="([^"]+)"', page)) - {"csrfmiddlewaretoken"}
    response = client.post(attempt_url, dict.fromkeys(names, value))
    assert response.status_code < 500
