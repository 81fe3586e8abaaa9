"""Spaced review: what a learner got wrong comes back just before they would forget it.

Scheduling is FSRS (the ``fsrs`` package, the scheduler Anki uses). A wrong quiz answer is a review rated
"again" at the time of the attempt, a partly right one "hard"; on the review page a right answer is "good".
Answers are graded by the quizzes' own grading code, and nothing here changes a quiz score or a certificate.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler
from fsrs import ReviewLog as FsrsReview

from learning.models import ReviewCard, ReviewLog
from quizzes import grading
from quizzes.models import Answer


def scheduler():
    # Without fuzzing, the same reviews always give the same schedule, which is what lets it be recomputed.
    return Scheduler(desired_retention=settings.REVIEW_DESIRED_RETENTION, enable_fuzzing=False)


def rating_for(points, question):
    """Right: good; partly right: hard; wrong: again."""
    if Decimal(points) >= Decimal(question["points"]):
        return Rating.Good
    return Rating.Hard if Decimal(points) > 0 else Rating.Again


def _scheduled(card, rating, when):
    state = Card.from_dict(card.state) if card.state else Card(card_id=card.pk, due=when)
    # FSRS reads reviews in the order they happened: one dated before the card's last review counts as now.
    if state.last_review is not None and when < state.last_review:
        when = state.last_review
    state, _log = scheduler().review_card(state, rating, review_datetime=when)
    card.state = state.to_dict()
    card.due = state.due
    card.save(update_fields=["state", "due"])
    return when


@transaction.atomic
def review_sync(*, user):
    """Put every quiz answer of ``user`` that was wrong or partly right into their review queue, once.

    Called when the learner opens their dashboard or the review page: the queue is only ever seen there,
    and quizzes know nothing of it. Each answer becomes a review dated at its attempt.
    """
    pending = (
        Answer.objects.filter(attempt__user=user, attempt__submitted_at__isnull=False, is_correct=False, review=None)
        .select_related("attempt__quiz")
        .order_by("attempt__submitted_at", "pk")
    )
    added = 0
    for answer in pending:
        attempt = answer.attempt
        question = next((q for q in attempt.snapshot["questions"] if q["key"] == answer.question_key), None)
        if question is None:
            continue
        card, _created = ReviewCard.objects.get_or_create(
            user=user,
            quiz=attempt.quiz,
            question_key=answer.question_key,
            defaults={"question": question, "quiz_title": attempt.quiz.in_every_language("title")},
        )
        rating = rating_for(answer.points or 0, question)
        when = _scheduled(card, rating, attempt.submitted_at)
        try:
            with transaction.atomic():
                ReviewLog.objects.create(
                    card=card,
                    source=ReviewLog.Source.QUIZ,
                    answer=answer,
                    rating=rating,
                    reviewed_at=when,
                    points=answer.points or 0,
                )
        except IntegrityError:  # another request synced this answer at the same moment
            continue
        added += 1
    return added


def due_cards(user, now=None):
    return ReviewCard.objects.filter(user=user, due__lte=now or timezone.now())


@transaction.atomic
def review_answer(*, card, choice_ids=(), text="", now=None) -> ReviewLog:
    """Grade an answer given on the review page and schedule the card's next review."""
    now = now or timezone.now()
    card = ReviewCard.objects.select_for_update().get(pk=card.pk)
    points, right = grading.grade(card.question, choice_ids, text)
    rating = rating_for(points, card.question)
    when = _scheduled(card, rating, now)
    return ReviewLog.objects.create(
        card=card,
        source=ReviewLog.Source.REVIEW,
        rating=rating,
        reviewed_at=when,
        response={"choice_ids": list(choice_ids), "text": text},
        points=points,
        is_correct=right,
    )


def review_reschedule(*, card) -> datetime:
    """Compute a card's schedule again from every review it had, with the scheduler's current parameters."""
    reviews = [
        FsrsReview(card_id=card.pk, rating=Rating(log.rating), review_datetime=log.reviewed_at, review_duration=None)
        for log in card.reviews.all()
    ]
    first = reviews[0].review_datetime if reviews else card.created_at
    state = scheduler().reschedule_card(Card(card_id=card.pk, due=first), reviews)
    card.state = state.to_dict()
    card.due = state.due
    card.save(update_fields=["state", "due"])
    return card.due
