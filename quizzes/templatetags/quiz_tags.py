"""What quizzes add to pages of the apps below them: the article page asks for its quiz here, so that the
knowledge base needs to know nothing of quizzes."""

from django import template

from quizzes.models import Quiz

register = template.Library()


@register.simple_tag
def quiz_for_article(article):
    """The published quiz that tests ``article``, if any."""
    return Quiz.objects.published().filter(article=article).first()
