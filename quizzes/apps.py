from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")
    content_sections = ("quizzes.content.QuizSection",)
    # Models whose changes alter what readers see (kb.content_version): article and lesson pages show
    # their quizzes' titles and descriptions.
    page_content = ("Quiz",)
    # Passing every quiz of a course's lessons is part of completing the course (courses.progress).
    course_requirements = ("quizzes.progress.requirements",)
    # What it holds about a learner, in their export (accounts.services).
    personal_data = ("quizzes.personal_data.for_user",)
