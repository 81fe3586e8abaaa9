from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quizzes.models import Answer, Quiz


class ReviewCard(models.Model):
    """A question a learner got wrong or partly right, due again when the scheduler (FSRS) says. It keeps
    its own copy of the question as the attempt showed it, so editing or deleting the quiz later changes
    nothing here."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards")
    quiz = models.ForeignKey(Quiz, on_delete=models.SET_NULL, null=True, related_name="review_cards")
    quiz_title = models.JSONField(default=dict)  # {language: title} when the card was made
    question_key = models.SlugField(max_length=100)
    question = models.JSONField()  # the attempt's snapshot of the question (quizzes.grading.snapshot)
    state = models.JSONField(default=dict)  # the scheduler's card (fsrs.Card.to_dict())
    due = models.DateTimeField(_("due"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("review card")
        verbose_name_plural = _("review cards")
        indexes = [models.Index(fields=["user", "due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "question_key"], condition=Q(quiz__isnull=False), name="one_card_per_question"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.question_key}"


class ReviewLog(models.Model):
    """One review of a card: from a quiz answer that was wrong, or from the review page. Every review is
    kept, so that the schedule can be computed again when the scheduler's parameters change."""

    class Source(models.TextChoices):
        QUIZ = "quiz", _("Quiz attempt")
        REVIEW = "review", _("Review")

    card = models.ForeignKey(ReviewCard, on_delete=models.CASCADE, related_name="reviews")
    source = models.CharField(max_length=10, choices=Source.choices)
    # The quiz answer this review comes from (source "quiz"): how an answer is known to be in the queue.
    answer = models.OneToOneField(Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="review")
    rating = models.PositiveSmallIntegerField()  # fsrs.Rating: 1 again, 2 hard, 3 good, 4 easy
    reviewed_at = models.DateTimeField(default=timezone.now)
    response = models.JSONField(default=dict)  # {"choice_ids": [...], "text": "..."} given on the review page
    points = models.DecimalField(max_digits=7, decimal_places=2, default=0)
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["reviewed_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return f"{self.card} · {self.rating}"
