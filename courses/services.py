"""Writes that learners make: enrolling, marking lessons done, completing a course and its certificate.
Each is idempotent and atomic."""

from django.db import transaction
from django.utils import timezone

from courses import progress
from courses.models import Certificate, Course, Enrollment, Lesson, LessonProgress


@transaction.atomic
def course_enrol(*, user, course: Course) -> bool:
    """Enrol ``user`` in ``course``; returns False when they already were."""
    _enrollment, created = Enrollment.objects.get_or_create(user=user, course=course)
    return created


def course_leave(*, user, course: Course) -> bool:
    """Take ``user`` out of ``course``; returns False when they were not in it. The lessons they finished and
    any certificate stay theirs: enrolling again picks up where they left off."""
    deleted, _counts = Enrollment.objects.filter(user=user, course=course).delete()
    return bool(deleted)


@transaction.atomic
def lesson_mark_complete(*, user, lesson: Lesson) -> bool:
    """Mark ``lesson`` done, enrolling the learner in its course first, and complete the course if that was
    all it still needed; returns False if the lesson already was done."""
    course_enrol(user=user, course=lesson.course)
    _progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    course_complete_if_done(user=user, course=lesson.course)
    return created


@transaction.atomic
def lesson_mark_incomplete(*, user, lesson: Lesson) -> bool:
    """Forget that ``lesson`` was done; returns False if it was not. A course already completed stays so."""
    deleted, _counts = LessonProgress.objects.filter(user=user, lesson=lesson).delete()
    return bool(deleted)


def display_name(user):
    return user.get_full_name().strip() or user.get_username()


@transaction.atomic
def course_complete_if_done(*, user, course: Course) -> Certificate | None:
    """The first time every requirement of a published course is met (courses.progress), record the
    completion and issue a certificate; returns the new certificate, or None."""
    if not course.is_published:
        return None
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None or enrollment.completed_at is not None:
        return None
    found = progress.requirements(user, course)
    if not all(requirement.done for requirement in found):
        return None
    enrollment.completed_at = timezone.now()
    enrollment.save(update_fields=["completed_at"])
    record = _record(user, course, found)
    return Certificate.objects.create(user=user, course=course, issued_at=enrollment.completed_at, record=record)


def _record(user, course, requirements):
    return {
        "name": display_name(user),
        "course": course.in_every_language("title"),
        "items": [{"kind": requirement.kind, **requirement.record} for requirement in requirements],
    }


@transaction.atomic
def certificate_revoke(*, certificate: Certificate) -> bool:
    """Withdraw a certificate: its page answers 404 from now on. Returns False if it already was."""
    return bool(
        Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


@transaction.atomic
def certificate_reissue(*, user, course: Course) -> Certificate | None:
    """The certificate of a completed course: the valid one, or, after it was revoked, a new link with the
    same record and date. None when the course is not complete."""
    enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
    if enrollment is None or enrollment.completed_at is None:
        return None
    certificates = Certificate.objects.filter(user=user, course=course)
    valid = certificates.valid().first()
    if valid is not None:
        return valid
    last = certificates.order_by("-issued_at", "-pk").first()
    return Certificate.objects.create(
        user=user,
        course=course,
        issued_at=enrollment.completed_at,
        record=last.record if last else _record(user, course, progress.requirements(user, course)),
    )
