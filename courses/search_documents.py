"""What courses give search (see search.documents): each published course, found by its own text and its
lessons' titles and introductions."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from kb import languages
from search.analysis import plain_text
from search.documents import DocumentKind, Entry, Shown


def _each_language(page, name):
    return {code: getattr(page, languages.localized(name, code)) or "" for code in languages.codes()}


class CourseDocument(DocumentKind):
    name = "course"
    label = _("Course")
    model = "courses.Course"

    def indexed(self):
        return Course.objects.published().select_related("topic").prefetch_related("lessons")

    def entry(self, course):
        if not course.is_published:
            return None
        lessons = list(course.lessons.all())
        return Entry(
            kind=self.name,
            object_id=course.pk,
            topic_id=course.topic_id,
            published_at=course.updated_at,
            texts={
                "title": _each_language(course, "title"),
                "summary": _each_language(course, "summary"),
                "tags": _each_language(course.topic, "name"),
                "body": {code: self._body(course, lessons, code) for code in languages.codes()},
            },
        )

    @staticmethod
    def _body(course, lessons, code):
        parts = [plain_text(getattr(course, languages.localized("description_html", code)))]
        for lesson in lessons:
            parts.append(getattr(lesson, languages.localized("title", code)) or "")
            parts.append(plain_text(getattr(lesson, languages.localized("intro_html", code))))
        return " ".join(parts)

    def shown(self, ids):
        names = ["slug", "topic_id"] + [
            languages.localized(name, code)
            for name in ("title", "summary", "description_html")
            for code in languages.codes()
        ]
        return {
            row["pk"]: Shown(
                url=reverse("courses:course-detail", kwargs={"slug": row["slug"]}),
                topic_id=row["topic_id"],
                texts={
                    code: tuple(
                        row[languages.localized(name, code)] or "" for name in ("title", "summary", "description_html")
                    )
                    for code in languages.codes()
                },
            )
            for row in Course.objects.filter(pk__in=ids).values("pk", *names)
        }
