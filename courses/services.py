"""Writes that learners make: enrolling and marking lessons done. Each is idempotent and atomic."""

from django.db import transaction

from courses.models import Course, Enrollment, Lesson, LessonProgress


@transaction.atomic
def course_enrol(*, user, course: Course) -> bool:
    """Enrol ``user`` in ``course``; returns False when they already were."""
    _enrollment, created = Enrollment.objects.get_or_create(user=user, course=course)
    return created


@transaction.atomic
def lesson_mark_complete(*, user, lesson: Lesson) -> bool:
    """Mark ``lesson`` done, enrolling the learner in its course first; returns False if it already was done."""
    course_enrol(user=user, course=lesson.course)
    _progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return created


@transaction.atomic
def lesson_mark_incomplete(*, user, lesson: Lesson) -> bool:
    """Forget that ``lesson`` was done; returns False if it was not."""
    deleted, _counts = LessonProgress.objects.filter(user=user, lesson=lesson).delete()
    return bool(deleted)
