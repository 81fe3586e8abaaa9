from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    content_sections = ("quizzes.content.QuizSection",)
    # Warnings the article admin shows when an edit loses a section that a question cites.
    article_edit_warnings = ("quizzes.checks.sections_lost",)
    # Models whose changes alter what readers see (kb.content_version): article and lesson pages show
    # their quizzes' titles and descriptions.
    page_content = ("Quiz",)
    # Passing every quiz of a course's lessons is part of completing the course (courses.progress).
    course_requirements = ("quizzes.progress.requirements",)
    # A fixed time per quiz in the time a lesson and its course take (courses.estimates).
    lesson_minutes = ("quizzes.estimates.minutes",)
    # What it holds about a learner, in their export (accounts.services).
    personal_data = ("quizzes.personal_data.for_user",)
