from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Lesson
from kb import languages
from kb.markup import render_inline_markdown, render_translations, validate_markdown
from kb.models import Article
from kb.publishing import Publishable
from kb.translation_status import TranslatedContent

# Submissions this long after the deadline still count as on time (network, a slow click).
GRACE = timedelta(seconds=30)


class Quiz(Publishable, TranslatedContent):
    TRANSLATED_TEXT = ("title", "description")
    REQUIRED_TEXT = ("title",)

    class ShowAnswers(models.TextChoices):
        AFTER_ATTEMPT = "after_attempt", _("After each attempt")
        AFTER_PASS = "after_pass", _("Only after the learner passes")
        NEVER = "never", _("Never")

    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("article"),
        help_text=_("The article this quiz tests; the article page links to it."),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("lesson"),
        help_text=_("Passing the quiz marks this lesson as complete."),
    )
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=0, help_text=_("0 = unlimited"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"), null=True, blank=True)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=False)
    show_answers = models.CharField(
        _("show answers"), max_length=20, choices=ShowAnswers.choices, default=ShowAnswers.AFTER_ATTEMPT
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(condition=Q(pass_mark__lte=100), name="pass_mark_is_a_percentage"),
        ]

    def __str__(self):
        return self.title_en or self.slug

    def get_absolute_url(self):
        return reverse("quizzes:quiz-detail", kwargs={"slug": self.slug})

    def attempts_left(self, used):
        """How many attempts a learner who has made ``used`` may still start; None when there is no limit."""
        if not self.attempts_allowed:
            return None
        return max(0, self.attempts_allowed - used)

    @property
    def time_limit(self):
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None


class Question(models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "true_false", _("True or false")
        SHORT = "short", _("Short answer")

    CHOICE_TYPES = (Type.SINGLE, Type.MULTIPLE, Type.TRUE_FALSE)

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz"))
    key = models.SlugField(_("key"), max_length=100, help_text=_("Stable name of the question within its quiz."))
    order = models.PositiveIntegerField(_("order"), default=0)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, default=Type.SINGLE)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=False,
        help_text=_("Multiple choice only: award part of the points for a partly right answer."),
    )
    source_article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="cited_by", verbose_name=_("source article")
    )

    prompt = models.TextField(_("prompt (Markdown)"), validators=[validate_markdown])
    prompt_html = models.TextField(editable=False, blank=True)
    explanation = models.TextField(_("explanation (Markdown)"), blank=True, validators=[validate_markdown])
    explanation_html = models.TextField(editable=False, blank=True)
    source_anchor = models.CharField(
        _("source section"), max_length=200, help_text=_("The id of the heading that teaches this, e.g. northbridge")
    )
    accepted_answers = models.TextField(
        _("accepted answers"), blank=True, help_text=_("Short answer only: one accepted answer per line.")
    )

    class Meta:
        ordering = ["quiz", "order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [models.UniqueConstraint(fields=["quiz", "key"], name="question_key_unique_in_quiz")]

    def __str__(self):
        return f"{self.quiz.slug}: {self.key}"

    def save(self, *args, **kwargs):
        render_translations(self, "prompt", "prompt_html")
        render_translations(self, "explanation", "explanation_html")
        super().save(*args, **kwargs)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    is_correct = models.BooleanField(_("correct"), default=False)
    text = models.CharField(_("text (Markdown)"), max_length=500, validators=[validate_markdown])
    text_html = models.TextField(editable=False, blank=True)
    feedback = models.TextField(_("feedback (Markdown)"), blank=True, validators=[validate_markdown])
    feedback_html = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["question", "order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self):
        return self.text_en or str(self.pk)

    def save(self, *args, **kwargs):
        self.render()
        super().save(*args, **kwargs)

    def render(self):
        """Fill the HTML fields from the Markdown ones (``bulk_create`` skips ``save``, so imports call this)."""
        for code in languages.codes():
            for source in ("text", "feedback"):
                value = getattr(self, languages.localized(source, code)) or ""
                setattr(self, languages.localized(f"{source}_html", code), render_inline_markdown(value, language=code))
        return self


class AttemptQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def open(self):
        return self.filter(submitted_at__isnull=True)


class Attempt(models.Model):
    """One try at a quiz. ``snapshot`` keeps what the learner saw, so later edits never change it."""

    # A learner who deletes their account leaves their attempts behind without a name: the statistics that
    # instructors read keep counting them.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="quiz_attempts"
    )
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    late = models.BooleanField(_("closed after the time limit"), default=False)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=7, decimal_places=2, default=0)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    snapshot = models.JSONField(editable=False, default=dict)

    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["user", "quiz", "number"], name="attempt_number_unique"),
            models.UniqueConstraint(
                fields=["user", "quiz"], condition=Q(submitted_at__isnull=True), name="one_open_attempt"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.quiz.slug} #{self.number}"

    def get_absolute_url(self):
        return reverse("quizzes:attempt", kwargs={"slug": self.quiz.slug, "pk": self.pk})

    @property
    def is_open(self):
        return self.submitted_at is None

    @property
    def percent(self):
        if self.score is None or not self.max_score:
            return 0
        return round(100 * self.score / self.max_score)

    def is_past_grace(self, now=None):
        return self.deadline is not None and (now or timezone.now()) > self.deadline + GRACE


class Answer(models.Model):
    """A learner's answer to one question of an attempt, saved as a draft and graded on submission."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.SET_NULL, null=True, related_name="answers")
    question_key = models.SlugField(max_length=100)
    choice_ids = models.JSONField(default=list, blank=True)
    text = models.CharField(max_length=500, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)
    points = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["attempt", "question_key"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.attempt} · {self.question_key}"
