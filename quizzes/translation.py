from modeltranslation.translator import TranslationOptions, register

from quizzes.models import Choice, Question, Quiz


@register(Quiz)
class QuizTranslationOptions(TranslationOptions):
    fields = ("title", "description", "edited_at")
    required_languages = {"en": ("title",)}


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("prompt", "prompt_html", "explanation", "explanation_html", "source_anchor", "accepted_answers")
    required_languages = {"en": ("prompt", "source_anchor")}


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("text", "text_html", "feedback", "feedback_html")
    required_languages = {"en": ("text",)}
