"""Nothing unpublished reaches anyone but authors, on any page, in any language: a draft or scheduled
article attached to a published course's lesson, a published quiz in a draft course, a quiz citing a
draft article. A learner and an anonymous visitor walk every link of the site; an author sees the drafts."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone, translation

from courses.models import Enrollment, LessonProgress
from courses.tests.factories import make_course, make_lesson
from kb.models import Article
from kb.tests.factories import make_article, make_topic
from quizzes import services
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db

SECRETS = ["DRAFT-ARTICLE", "草稿文章", "SCHEDULED-ARTICLE", "排程文章", "DRAFT-COURSE", "草稿課程", "DRAFT-LESSON"]
LINK = re.compile(r'href="(/(?:en|zh-hant)/[^"#?]*)')


@pytest.fixture
def hidden_things(learner):
    topic = make_topic()
    draft = make_article(
        topic=topic,
        status=Article.Status.DRAFT,
        title_en="DRAFT-ARTICLE title",
        title_zh_hant="草稿文章標題",
        body_en="## Hidden\n\nDRAFT-ARTICLE body about a quetzal.",
        body_zh_hant="## 隱藏\n\n草稿文章內容：鳳梨酥。",
    )
    scheduled = make_article(
        topic=topic,
        published_at=timezone.now() + timedelta(days=3),
        title_en="SCHEDULED-ARTICLE title",
        title_zh_hant="排程文章標題",
        body_en="## Soon\n\nSCHEDULED-ARTICLE body about a quetzal.",
        body_zh_hant="## 即將\n\n排程文章內容。",
    )
    course = make_course(lessons=1, topic=topic)
    lesson = course.lessons.get()
    lesson.lesson_articles.create(article=draft, order=2)
    lesson.lesson_articles.create(article=scheduled, order=3)

    draft_course = make_course(
        lessons=0, topic=topic, status="draft", title_en="DRAFT-COURSE", title_zh_hant="草稿課程"
    )
    draft_lesson = make_lesson(course=draft_course, order=1, articles=[make_article(topic=topic)])
    draft_lesson.title_en = draft_lesson.title_zh_hant = "DRAFT-LESSON"
    draft_lesson.save()
    quiz = make_quiz(lesson=draft_lesson)
    attempt = services.attempt_start(user=learner, quiz=quiz)
    data = {q["key"]: {"choice_ids": [], "text": ""} for q in attempt.snapshot["questions"]}
    for question in attempt.snapshot["questions"]:
        right = [c["id"] for c in question["choices"] if c["correct"]]
        data[question["key"]] = {"choice_ids": right, "text": (question["accepted"] or [""])[0]}
    services.attempt_submit(attempt=attempt, answers=data)

    citing_draft = make_quiz(article=draft, title_en="Quiz on a draft", title_zh_hant="草稿的測驗")
    return {"course": course, "lesson": lesson, "draft_course": draft_course, "quiz": quiz, "citing": citing_draft}


def crawl(client, start, limit=400):
    """GET every page of the site reachable from ``start`` (same site, both languages); yield (path, html)."""
    seen, queue = set(), list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or "/logout/" in path or "/admin/" in path:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield path, html
        queue.extend(link for link in LINK.findall(html) if link not in seen)


def start_pages(things):
    pages = []
    for lang in ("en", "zh-hant"):
        pages += [
            f"/{lang}/",
            f"/{lang}/courses/",
            f"/{lang}/dashboard/",
            f"/{lang}/search/?q=quetzal",
            f"/{lang}/search/?q=鳳梨酥",
            f"/{lang}/quizzes/{things['quiz'].slug}/",
            f"/{lang}/quizzes/{things['citing'].slug}/",
            f"/{lang}{things['lesson'].get_absolute_url()[3:]}",
        ]
    return pages


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_nothing_unpublished_reaches_a_reader(client, learner, hidden_things, who):
    if who == "learner":
        client.force_login(learner)
        attempt = hidden_things["quiz"].attempts.get()
        start = [*start_pages(hidden_things), attempt.get_absolute_url(), "/zh-hant" + attempt.get_absolute_url()[3:]]
    else:
        start = start_pages(hidden_things)
    pages = 0
    for path, html in crawl(client, start):
        pages += 1
        text = unescape(html)
        for secret in SECRETS:
            assert secret not in text, (who, path, secret)
    assert pages > 30
    # Passing the quiz of a draft course neither enrols the learner nor marks its lesson done.
    assert not Enrollment.objects.filter(user=learner, course=hidden_things["draft_course"]).exists()
    assert not LessonProgress.objects.filter(user=learner).exists()


def test_the_draft_article_is_not_readable_from_its_lesson(client, hidden_things):
    for lang in ("en", "zh-hant"):
        html = client.get(f"/{lang}{hidden_things['lesson'].get_absolute_url()[3:]}").content.decode()
        assert "DRAFT-ARTICLE body" not in html and "草稿文章內容" not in html
        assert "SCHEDULED-ARTICLE body" not in html and "排程文章內容" not in html


def test_an_author_sees_the_drafts_to_review_them(client, instructor, hidden_things):
    translation.activate("en")
    client.force_login(instructor)
    lesson = client.get(hidden_things["lesson"].get_absolute_url()).content.decode()
    assert "DRAFT-ARTICLE body" in lesson and "SCHEDULED-ARTICLE body" in lesson
    course = client.get(hidden_things["course"].get_absolute_url()).content.decode()
    assert "DRAFT-ARTICLE title" in course
    quiz = client.get(hidden_things["quiz"].get_absolute_url()).content.decode()
    assert "DRAFT-COURSE" in quiz and "DRAFT-LESSON" in quiz
