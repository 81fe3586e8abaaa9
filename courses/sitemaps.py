"""Courses and lessons in the sitemap (registered in CoursesConfig.sitemaps)."""

from courses.models import Course, Lesson
from kb.sitemaps import TranslatedSitemap


class LessonSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Lesson.objects.filter(course__in=Course.objects.published())
            .select_related("course")
            .order_by("course__order", "course__pk", "order", "pk")
        )


class CourseSitemap(TranslatedSitemap):
    changefreq = "weekly"

    def items(self):
        return Course.objects.published().order_by("order", "pk")

    def lastmod(self, item):
        return item.updated_at
