from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    """The learner's own loop over courses and quizzes: the dashboard and the spaced review of what they
    got wrong."""

    name = "learning"
    verbose_name = _("Learning")
    # What it holds about a learner, in their export (accounts.services).
    personal_data = ("learning.personal_data.for_user",)
