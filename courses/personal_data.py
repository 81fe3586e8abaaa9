"""A learner's enrolments, progress and certificates, for their own export (accounts.services)."""

from courses.models import Certificate, Enrollment, LessonProgress


def _when(value):
    return value.isoformat() if value else None


def for_user(user):
    return {
        "enrolments": [
            {"course": e.course.slug, "enrolled_at": _when(e.enrolled_at), "completed_at": _when(e.completed_at)}
            for e in Enrollment.objects.filter(user=user).select_related("course")
        ],
        "lessons_done": [
            {"course": p.lesson.course.slug, "lesson": p.lesson.slug, "completed_at": _when(p.completed_at)}
            for p in LessonProgress.objects.filter(user=user).select_related("lesson__course")
        ],
        "certificates": [
            {
                "code": c.code,
                "issued_at": _when(c.issued_at),
                "revoked_at": _when(c.revoked_at),
                "record": c.record,
            }
            for c in Certificate.objects.filter(user=user)
        ],
    }
