import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kb.markup import render_translations, validate_markdown
from kb.models import Article, Topic
from kb.publishing import Publishable, PublishableQuerySet
from kb.translation_status import TranslatedContent


class CourseQuerySet(PublishableQuerySet):
    def with_lesson_counts(self):
        return self.annotate(lesson_count=Count("lessons", distinct=True))

    def with_minutes(self, language):
        """Annotate ``minutes``: how long the course takes a reader of ``language`` (courses.estimates)."""
        from courses.estimates import course_minutes

        return self.annotate(minutes=course_minutes(language))

    def with_progress(self, user):
        """Annotate ``completed_count`` (lessons this user completed) and ``is_enrolled``, in the same query."""
        if not user.is_authenticated:
            return self
        done = LessonProgress.objects.filter(user=user, lesson__course=OuterRef("pk"))
        return self.annotate(
            completed_count=models.Subquery(
                done.values("lesson__course").annotate(n=Count("pk")).values("n")[:1],
                output_field=models.IntegerField(),
            ),
            is_enrolled=Exists(Enrollment.objects.filter(user=user, course=OuterRef("pk"))),
        )


class Course(Publishable, TranslatedContent):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    TRANSLATED_TEXT = ("title", "summary", "description")
    REQUIRED_TEXT = ("title",)

    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=True)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("topic"))
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.BEGINNER)
    order = models.PositiveIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    description = models.TextField(_("description (Markdown)"), blank=True, validators=[validate_markdown])
    description_html = models.TextField(editable=False, blank=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title_en or self.slug

    def save(self, *args, **kwargs):
        render_translations(self, "description", "description_html")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:course-detail", kwargs={"slug": self.slug})


class LessonQuerySet(models.QuerySet):
    def with_extra_minutes(self):
        """Annotate ``extra_minutes``: what other apps add to the lesson's time (courses.estimates)."""
        from courses.estimates import extra_minutes

        return self.annotate(extra_minutes=extra_minutes(lesson=OuterRef("pk")))


class Lesson(TranslatedContent):
    TRANSLATED_TEXT = ("title", "intro")
    REQUIRED_TEXT = ("title",)

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("course"))
    slug = models.SlugField(_("slug"), max_length=200, allow_unicode=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    articles = models.ManyToManyField(
        Article, through="LessonArticle", related_name="lessons", verbose_name=_("articles")
    )

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction (Markdown)"), blank=True, validators=[validate_markdown])
    intro_html = models.TextField(editable=False, blank=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["course", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["course", "slug"], name="lesson_slug_unique_in_course")]

    def __str__(self):
        return self.title_en or self.slug

    def save(self, *args, **kwargs):
        render_translations(self, "intro", "intro_html")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("courses:lesson-detail", kwargs={"course_slug": self.course.slug, "slug": self.slug})


class LessonArticle(models.Model):
    """An article read in a lesson, in order. Articles that lessons use cannot be deleted."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="lesson_articles")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="lesson_articles")
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["lesson", "order", "pk"]
        verbose_name = _("lesson article")
        verbose_name_plural = _("lesson articles")
        constraints = [models.UniqueConstraint(fields=["lesson", "article"], name="article_once_per_lesson")]

    def __str__(self):
        return f"{self.lesson} → {self.article}"


class Enrollment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments")
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    # When every requirement was first met (courses.progress); later changes to the course never clear it.
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrol_once")]

    def __str__(self):
        return f"{self.user} → {self.course}"


class LessonProgressQuerySet(models.QuerySet):
    def lesson_ids(self, user, course):
        """The ids of the lessons of ``course`` that ``user`` completed (one query)."""
        if not user.is_authenticated:
            return set()
        return set(self.filter(user=user, lesson__course=course).values_list("lesson_id", flat=True))


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="complete_once")]
        indexes = [models.Index(fields=["user", "completed_at"])]

    def __str__(self):
        return f"{self.user} ✓ {self.lesson}"


def new_certificate_code():
    """22 characters from a 128-bit random number: a link nobody can guess."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """Proof that a learner completed a course. ``record`` keeps what it certifies (the course and lesson
    titles, the quiz scores, the name) as it was on the day, so later edits to the course change nothing."""

    code = models.CharField(max_length=32, unique=True, default=new_certificate_code, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.SET_NULL, null=True, related_name="certificates")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    record = models.JSONField(editable=False, default=dict)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return f"{self.user} · {self.record.get('course', {}).get('en', '')}"

    def get_absolute_url(self):
        return reverse("courses:certificate", kwargs={"code": self.code})

    def text(self, name, language):
        """A field of the record in ``language`` (English when it was not translated)."""
        value = self.record.get(name) or {}
        return value.get(language) or value.get("en", "")
