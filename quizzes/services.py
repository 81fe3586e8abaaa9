"""Starting, saving and submitting quiz attempts. Every rule that protects a score is enforced here, in the
database where races are possible: one open attempt per learner and quiz, the attempts limit, the time
limit, and exactly one grading per attempt."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from courses.services import lesson_mark_complete
from quizzes import grading
from quizzes.models import Answer, Attempt, Question


class AttemptError(Exception):
    """A request the rules refuse; ``code`` says which rule."""

    def __init__(self, code):
        self.code = code
        super().__init__(code)


@dataclass
class SubmitResult:
    attempt: Attempt
    late: bool = False


def attempts_left(*, user, quiz):
    if not quiz.attempts_allowed:
        return None  # no need to count
    return quiz.attempts_left(Attempt.objects.filter(user=user, quiz=quiz).count())


def attempt_start(*, user, quiz, rng=None) -> Attempt:
    """Resume the learner's open attempt, or start a new one if the attempts limit allows it."""
    for _try in range(3):
        open_attempt = Attempt.objects.open().filter(user=user, quiz=quiz).first()
        if open_attempt is not None:
            if not open_attempt.is_past_grace():
                return open_attempt
            attempt_close_expired(attempt=open_attempt)
        try:
            with transaction.atomic():
                used = Attempt.objects.filter(user=user, quiz=quiz).aggregate(n=Max("number"))["n"] or 0
                if quiz.attempts_left(used) == 0:
                    raise AttemptError("no_attempts_left")
                now = timezone.now()
                frozen = grading.snapshot(quiz, rng=rng)
                return Attempt.objects.create(
                    user=user,
                    quiz=quiz,
                    number=used + 1,
                    started_at=now,
                    deadline=now + quiz.time_limit if quiz.time_limit else None,
                    max_score=grading.max_score(frozen),
                    snapshot=frozen,
                )
        except IntegrityError:
            # Another request started an attempt at the same moment: go round and resume that one.
            continue
    raise AttemptError("busy")


def _store_answers(attempt, answers):
    now = timezone.now()
    ids = {question["key"]: question["id"] for question in attempt.snapshot["questions"]}
    # Answers keep a link to the live question for statistics, unless it has been deleted since.
    live = set(Question.objects.filter(pk__in=ids.values()).values_list("pk", flat=True))
    for key, value in answers.items():
        Answer.objects.update_or_create(
            attempt=attempt,
            question_key=key,
            defaults={
                "question_id": ids[key] if ids[key] in live else None,
                "choice_ids": value["choice_ids"],
                "text": value["text"],
                "saved_at": now,
            },
        )


@transaction.atomic
def attempt_save_answers(*, attempt, answers):
    """Keep draft answers of an open attempt (for example before switching language)."""
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not locked.is_open:
        raise AttemptError("already_submitted")
    if locked.is_past_grace():
        raise AttemptError("time_is_up")
    _store_answers(locked, answers)


def _grade_and_close(attempt, *, late):
    """Grade the stored answers and close the attempt, unless another request closed it first."""
    answers = {answer.question_key: answer for answer in attempt.answers.all()}
    score = 0
    for question in attempt.snapshot["questions"]:
        answer = answers.get(question["key"])
        if answer is None:
            continue
        points, right = grading.grade(question, answer.choice_ids, answer.text)
        answer.points, answer.is_correct = points, right
        answer.save(update_fields=["points", "is_correct"])
        score += points
    percent = 100 * score / attempt.max_score if attempt.max_score else 0
    passed = percent >= attempt.quiz.pass_mark
    closed = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now(), score=score, passed=passed, late=late
    )
    if not closed:
        raise AttemptError("already_submitted")
    attempt.refresh_from_db()
    lesson = attempt.quiz.lesson
    # A draft course takes no learners: passing its quiz must not enrol anyone in it.
    if passed and lesson is not None and lesson.course.is_published:
        lesson_mark_complete(user=attempt.user, lesson=lesson)
    return attempt


@transaction.atomic
def attempt_submit(*, attempt, answers) -> SubmitResult:
    """Store the final answers and grade them, once. Past the time limit only the answers saved in time
    count, and the attempt is marked late."""
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz__lesson__course").get(pk=attempt.pk)
    if not locked.is_open:
        raise AttemptError("already_submitted")
    if locked.is_past_grace():
        return SubmitResult(_grade_and_close(locked, late=True), late=True)
    _store_answers(locked, answers)
    return SubmitResult(_grade_and_close(locked, late=False))


@transaction.atomic
def attempt_close_expired(*, attempt):
    """Close an attempt whose time ran out, grading what was saved before the deadline."""
    locked = Attempt.objects.select_for_update(of=("self",)).select_related("quiz__lesson__course").get(pk=attempt.pk)
    if locked.is_open and locked.is_past_grace():
        return _grade_and_close(locked, late=True)
    return locked
