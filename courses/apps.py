from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    content_sections = ("courses.content.CourseSection",)
    sitemaps = {"courses": "courses.sitemaps.CourseSitemap", "lessons": "courses.sitemaps.LessonSitemap"}
    # Models whose changes alter what readers see (kb.content_version).
    page_content = ("Course", "Lesson", "LessonArticle")
    search_documents = ("courses.search_documents.CourseDocument",)
    # What it holds about a learner, in their export (accounts.services).
    personal_data = ("courses.personal_data.for_user",)
