from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from kb import languages
from kb.admin_base import AuthoringAdmin, truncated
from quizzes.models import Choice, Question, Quiz


def check_source_anchor(article, anchors):
    """Every language's anchor must be one of that language's headings in the cited article."""
    problems = {}
    for code in languages.codes():
        anchor = anchors.get(code)
        if not anchor or not article.has_text(code):
            continue
        ids = [entry["id"] for entry in getattr(article, languages.localized("toc", code)) or []]
        if anchor not in ids:
            problems[languages.localized("source_anchor", code)] = gettext(
                "“%(anchor)s” is not a heading of this article in this language. Its headings are: %(ids)s"
            ) % {"anchor": anchor, "ids": ", ".join(ids) or "—"}
    return problems


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = "__all__"  # noqa: DJ007 (the admin passes its own list of fields)

    def clean(self):
        cleaned = super().clean()
        article = cleaned.get("source_article")
        if article is not None:
            anchors = {code: cleaned.get(languages.localized("source_anchor", code)) for code in languages.codes()}
            for field, message in check_source_anchor(article, anchors).items():
                self.add_error(field if field in self.fields else None, message)
        accepted_fields = [languages.localized("accepted_answers", code) for code in languages.codes()]
        # The quiz page's inline form has no accepted answers field; the question's own page checks them.
        if (
            cleaned.get("type") == Question.Type.SHORT
            and accepted_fields[0] in self.fields
            and not any((cleaned.get(name) or "").strip() for name in accepted_fields)
        ):
            self.add_error(accepted_fields[0], gettext("A short-answer question needs at least one accepted answer."))
        return cleaned


class ChoiceFormSet(BaseInlineFormSet):
    """The choices must fit the question type (the parent form has already set ``instance.type``)."""

    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        correct = sum(1 for form in kept if form.cleaned_data.get("is_correct"))
        kind = self.instance.type
        if kind == Question.Type.SINGLE and correct != 1:
            raise ValidationError(gettext("A single-choice question needs exactly one correct choice."))
        if kind == Question.Type.MULTIPLE and correct < 1:
            raise ValidationError(gettext("A multiple-choice question needs at least one correct choice."))
        if kind == Question.Type.TRUE_FALSE and (len(kept) != 2 or correct != 1):
            raise ValidationError(gettext("A true-or-false question needs two choices, one of them correct."))
        if kind in Question.CHOICE_TYPES and len(kept) < 2:
            raise ValidationError(gettext("A choice question needs at least two choices."))
        if kind == Question.Type.SHORT and kept:
            raise ValidationError(gettext("A short-answer question has accepted answers, not choices."))


class ChoiceInline(TranslationTabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ("order", "text", "is_correct", "feedback")
    extra = 0


@admin.register(Question)
class QuestionAdmin(AuthoringAdmin):
    form = QuestionForm
    markdown_fields = ("prompt", "explanation")
    list_display = ("key", "quiz_title", "type", "points", "source")
    list_filter = ("type", "quiz")
    list_select_related = ("quiz", "source_article")
    search_fields = ("key", "prompt_en", "prompt_zh_hant")
    autocomplete_fields = ("source_article",)
    inlines = [ChoiceInline]
    fieldsets = (
        (None, {"fields": ("quiz", "key", "order", "type", "points", "partial_credit")}),
        (_("Question"), {"fields": ("prompt", "explanation", "accepted_answers")}),
        (_("Source"), {"fields": ("source_article", "source_anchor")}),
    )

    @admin.display(description=_("quiz"), ordering="quiz__slug")
    def quiz_title(self, question):
        return truncated(question.quiz.title, width=28)

    @admin.display(description=_("source"), ordering="source_article__slug")
    def source(self, question):
        return truncated(question.source_article.title if question.source_article else "—", width=28)


class QuestionInline(TranslationStackedInline):
    model = Question
    form = QuestionForm
    # The article before the texts: the language tabs then hold the prompt and the cited section together.
    fields = ("order", "key", "type", "points", "source_article", "prompt", "source_anchor", "edit_choices")
    readonly_fields = ("edit_choices",)
    autocomplete_fields = ("source_article",)
    extra = 0

    @admin.display(description=_("choices"))
    def edit_choices(self, question):
        if not question.pk:
            return gettext("Save first, then add the choices.")
        url = reverse("admin:quizzes_question_change", args=[question.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Edit the choices of this question"))


@admin.register(Quiz)
class QuizAdmin(AuthoringAdmin):
    # The number of attempts allowed is on the quiz's page.
    list_display = ("short_title", "status", "used_in", "pass_mark", "translation_state", "statistics_link")
    list_select_related = ("article", "lesson")
    list_filter = ("status", "show_answers")
    search_fields = ("title_en", "title_zh_hant", "slug")
    prepopulated_fields = {"slug": ("title_en",)}
    autocomplete_fields = ("article",)
    raw_id_fields = ("lesson",)
    inlines = [QuestionInline]

    @admin.display(description=pgettext_lazy("quiz list column: the lesson or article the quiz belongs to", "used in"))
    def used_in(self, quiz):
        """The lesson the quiz ends, or else the article it checks."""
        place = quiz.lesson or quiz.article
        return truncated(place.title if place else "—", width=28)

    @admin.display(description=_("statistics"))
    def statistics_link(self, quiz):
        return format_html('<a href="{}">{}</a>', reverse("quizzes:statistics", args=[quiz.slug]), gettext("View"))
