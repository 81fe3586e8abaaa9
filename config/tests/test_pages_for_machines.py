"""What browsers, search engines and feed readers read besides the text: icons, robots, alternates, feeds,
the sitemap and machine-readable dates."""

import re

import pytest

from courses.tests.factories import make_course
from kb.tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


def test_the_icons_browsers_ask_for_answer(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and b"".join(touch.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_times_are_valid_html_and_alternates_name_a_default(client):
    article = make_article()
    html = client.get(f"/zh-hant/articles/{article.slug}/").content.decode()
    stamps = re.findall(r'datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp) for stamp in stamps)
    assert f'hreflang="x-default" href="http://testserver/en/articles/{article.slug}/"' in html
    assert 'name="robots"' not in html


@pytest.mark.parametrize("path", ["/en/search/?q=docker", "/en/accounts/login/", "/zh-hant/accounts/signup/"])
def test_pages_only_for_one_visitor_are_not_indexed(client, path):
    assert '<meta name="robots" content="noindex">' in client.get(path).content.decode()


def test_the_feed_names_an_author(client):
    make_article()
    assert "<author><name>InfraLearn</name></author>" in client.get("/en/feed/").content.decode()


def test_the_sitemap_lists_lessons_and_tags(client):
    course = make_course(lessons=2)
    tag = make_tag()
    xml = client.get("/sitemap.xml").content.decode()
    lesson = course.lessons.first()
    assert f"/en/courses/{course.slug}/lessons/{lesson.slug}/" in xml
    assert f"/zh-hant/tags/{tag.slug}/" in xml


def test_a_new_account_is_welcomed_not_welcomed_back(client):
    client.post(
        "/en/accounts/signup/",
        {"username": "newcomer", "email": "n@example.org", "password1": "a-long-pass-phrase-42",
         "password2": "a-long-pass-phrase-42", "preferred_language": "en"},
    )  # fmt: skip
    html = client.get("/en/dashboard/").content.decode()
    assert "Welcome, newcomer." in html and "Welcome back" not in html
