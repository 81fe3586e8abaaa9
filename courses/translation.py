from modeltranslation.translator import TranslationOptions, register

from courses.models import Course, Lesson


@register(Course)
class CourseTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "description_html", "edited_at")
    required_languages = {"en": ("title",)}


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("title", "intro", "intro_html", "edited_at")
    required_languages = {"en": ("title",)}
