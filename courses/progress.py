"""What a learner must do to complete a course, and what a certificate says they did.

Lessons are the courses app's own requirement. Other apps add theirs without this app knowing them: an app
names a function on its AppConfig (``course_requirements = "quizzes.progress.requirements"``), which is
given the learner, the course and its lessons, and returns Requirement objects. A course is complete when
every requirement of every app is done.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from courses.models import LessonProgress


@dataclass
class Requirement:
    kind: str  # "lesson", "quiz", ...
    title: str  # in the active language
    url: str
    done: bool
    detail: str = ""  # for example "best 60 %, pass mark 70 %"
    # What a certificate keeps of it: {"title": {language: text}, "result": "..."}; see certificate_record().
    record: dict | None = None


def _providers():
    return [import_string(path) for app in apps.get_app_configs() for path in getattr(app, "course_requirements", ())]


def requirements(user, course, lessons=None, done=None):
    """Every requirement of ``course`` for ``user``, lessons first, in course order. ``lessons`` and ``done``
    (the ids of the lessons done) spare the queries when the caller has them."""
    lessons = list(lessons if lessons is not None else course.lessons.order_by("order", "pk"))
    done = done if done is not None else LessonProgress.objects.lesson_ids(user, course)
    found = [
        Requirement(
            kind="lesson",
            title=lesson.title,
            url=lesson.get_absolute_url(),
            done=lesson.pk in done,
            detail="" if lesson.pk in done else _("not marked as done"),
            record={"title": lesson.in_every_language("title")},
        )
        for lesson in lessons
    ]
    for provider in _providers():
        found.extend(provider(user=user, course=course, lessons=lessons))
    return found


def left_to_do(user, course, lessons=None, done=None):
    return [requirement for requirement in requirements(user, course, lessons, done) if not requirement.done]
