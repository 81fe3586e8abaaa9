"""How long a course and each lesson take comes from the reading times of their articles."""

import re

import pytest

from courses.models import Course
from courses.tests.factories import make_course, make_lesson
from kb.models import Article
from kb.templatetags.kb_tags import about_minutes
from kb.tests.factories import make_article

pytestmark = pytest.mark.django_db


def timed(en, zh):
    """An article whose reading time is ``en`` minutes in English and ``zh`` in Chinese."""
    article = make_article()
    Article.objects.filter(pk=article.pk).update(reading_minutes_en=en, reading_minutes_zh_hant=zh)
    return article


def course_of(*lessons):
    """A course whose lessons read the given articles, in order."""
    course = make_course(lessons=0)
    for order, articles in enumerate(lessons, start=1):
        make_lesson(course=course, order=order, articles=articles)
    return course


def card_time(html, course):
    card = re.search(
        rf'<article class="card course-card">(?:(?!</article>).)*?{course.get_absolute_url()}.*?</article>', html, re.S
    )
    return re.search(r'<p class="card-meta">[^·]*· ([^<]+)</p>', card.group(0)).group(1).strip()


def syllabus_times(html):
    metas = re.findall(r'<p class="muted syllabus-meta">(.*?)</p>', html, re.S)
    return [meta.rsplit("·", 1)[1].strip() for meta in metas]


def aside_time(html):
    return re.search(r'<p class="aside-fact"><strong>[^<]*</strong> · ([^<]+)</p>', html).group(1).strip()


def lesson_time(html):
    return re.search(r'<p class="eyebrow">[^<]*· ([^<]+)</p>', html).group(1).strip()


def test_three_four_minute_articles_take_about_twelve_minutes(client):
    course = course_of([timed(4, 5)], [timed(4, 5)], [timed(4, 5)])
    english = client.get("/en/courses/").content.decode()
    assert card_time(english, course) == "About 12 min"
    assert card_time(client.get("/zh-hant/courses/").content.decode(), course) == "約 15 分鐘"
    assert card_time(client.get("/en/").content.decode(), course) == "About 12 min"
    page = client.get(course.get_absolute_url()).content.decode()
    assert aside_time(page) == "About 12 min"
    assert syllabus_times(page) == ["About 4 min"] * 3
    lesson = course.lessons.get(order=2)
    assert lesson_time(client.get(lesson.get_absolute_url()).content.decode()) == "About 4 min"


def test_an_article_counts_once_per_course_in_the_first_lesson_that_reads_it(client):
    shared, other = timed(10, 10), timed(3, 3)
    course = course_of([shared], [shared, other])
    assert Course.objects.with_minutes("en").get(pk=course.pk).minutes == 13
    page = client.get(course.get_absolute_url()).content.decode()
    assert aside_time(page) == "About 13 min" and syllabus_times(page) == ["About 10 min", "About 3 min"]
    second = course.lessons.get(order=2)
    assert lesson_time(client.get(second.get_absolute_url()).content.decode()) == "About 3 min"


def test_a_language_without_the_text_takes_the_other_languages_time(client):
    course = course_of([timed(6, 0)], [timed(2, 8)])
    assert Course.objects.with_minutes("zh-hant").get(pk=course.pk).minutes == 14
    assert Course.objects.with_minutes("en").get(pk=course.pk).minutes == 8
    assert aside_time(client.get(f"/zh-hant/courses/{course.slug}/").content.decode()) == "約 14 分鐘"


def test_drafts_do_not_count(client):
    draft = timed(30, 30)
    Article.objects.filter(pk=draft.pk).update(status=Article.Status.DRAFT)
    course = course_of([timed(5, 5), draft])
    assert Course.objects.with_minutes("en").get(pk=course.pk).minutes == 5
    assert aside_time(client.get(course.get_absolute_url()).content.decode()) == "About 5 min"


def test_long_courses_are_told_in_hours_and_minutes(client):
    course = course_of([timed(45, 50)], [timed(35, 40)])
    assert card_time(client.get("/en/courses/").content.decode(), course) == "About 1 h 20 min"
    assert card_time(client.get("/zh-hant/courses/").content.decode(), course) == "約 1 小時 30 分鐘"


@pytest.mark.parametrize(
    ("minutes", "english", "chinese"),
    [(0, "About 1 min", "約 1 分鐘"), (12, "About 12 min", "約 12 分鐘"), (59, "About 59 min", "約 59 分鐘"),
     (60, "About 1 h", "約 1 小時"), (82, "About 1 h 20 min", "約 1 小時 20 分鐘"), (118, "About 2 h", "約 2 小時"),
     (150, "About 2 h 30 min", "約 2 小時 30 分鐘")],
)  # fmt: skip
def test_times_read_naturally_in_both_languages(minutes, english, chinese):
    from django.utils import translation

    assert about_minutes(minutes) == english
    with translation.override("zh-hant"):
        assert about_minutes(minutes) == chinese
