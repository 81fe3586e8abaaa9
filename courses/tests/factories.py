import itertools

from courses.models import Course, Lesson, LessonArticle
from kb.tests.factories import make_article, make_topic
from search import index

_numbers = itertools.count(1)


def make_course(*, lessons=3, topic=None, **fields):
    """A published course with ``lessons`` lessons, each reading one new article."""
    n = next(_numbers)
    topic = topic or make_topic()
    defaults = {
        "slug": f"course-{n}",
        "topic": topic,
        "status": Course.Status.PUBLISHED,
        "level": Course.Level.BEGINNER,
        "order": n,
        "title_en": f"Course {n}",
        "title_zh_hant": f"課程 {n}",
        "summary_en": f"What course {n} teaches.",
        "summary_zh_hant": f"課程 {n} 的內容。",
        "description_en": "## What you will learn\n\n- Things.",
        "description_zh_hant": "## 你會學到什麼\n\n- 東西。",
    }
    course = Course.objects.create(**{**defaults, **fields})
    for position in range(1, lessons + 1):
        make_lesson(course=course, order=position, articles=[make_article(topic=topic)])
    index.update(course)  # as every write path does (admin, import)
    return course


def make_lesson(*, course, order, articles=()):
    lesson = Lesson.objects.create(
        course=course,
        order=order,
        slug=f"lesson-{order}",
        title_en=f"Lesson {order} of {course.slug}",
        title_zh_hant=f"{course.slug} 第 {order} 課",
        intro_en="Read this **carefully**.",
        intro_zh_hant="請**仔細**閱讀。",
    )
    for position, article in enumerate(articles, start=1):
        LessonArticle.objects.create(lesson=lesson, article=article, order=position)
    index.update(course)
    return lesson
