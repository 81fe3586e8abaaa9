"""Course analytics for instructors: who enrols and when, how far learners get, how the quizzes go, and
which questions are hardest and how well each separates strong learners from weak ones."""

import html
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.html import strip_tags

from courses.models import Enrollment, LessonProgress
from courses.services import display_name
from quizzes.models import Answer, Attempt, Quiz

WEEKS = 12
# Share of attempts, by score, in the upper and lower groups compared by the discrimination index.
GROUP_SHARE = 0.27
MIN_ATTEMPTS_FOR_DISCRIMINATION = 6


@dataclass
class QuestionFigures:
    quiz: Quiz
    key: str
    prompt: str
    answered: int
    right: int
    discrimination: float | None

    @property
    def share_right(self):
        return round(100 * self.right / self.answered) if self.answered else 0


def enrolments_by_week(course, now=None):
    """``[(monday, count), ...]`` for the last WEEKS weeks, oldest first."""
    today = timezone.localdate(now or timezone.now())
    first_monday = today - timedelta(days=today.weekday(), weeks=WEEKS - 1)
    counts = Counter(
        timezone.localdate(enrolled) - timedelta(days=timezone.localdate(enrolled).weekday())
        for enrolled in Enrollment.objects.filter(course=course, enrolled_at__date__gte=first_monday).values_list(
            "enrolled_at", flat=True
        )
    )
    return [(first_monday + timedelta(weeks=n), counts.get(first_monday + timedelta(weeks=n), 0)) for n in range(WEEKS)]


def funnel(course, lessons):
    """``[(lesson, learners who completed it), ...]`` in course order."""
    done = dict(
        LessonProgress.objects.filter(lesson__course=course, user__enrollments__course=course)
        .values("lesson")
        .annotate(n=Count("user", distinct=True))
        .values_list("lesson", "n")
    )
    return [(lesson, done.get(lesson.pk, 0)) for lesson in lessons]


def quiz_figures(quizzes):
    """Per quiz: learners who tried it, who passed, attempts per learner, average best score."""
    attempts = (
        Attempt.objects.submitted()
        .filter(quiz__in=quizzes)
        .values_list("quiz_id", "user_id", "score", "max_score", "passed")
    )
    tried, passed, count, best = defaultdict(set), defaultdict(set), Counter(), defaultdict(dict)
    for quiz_id, user_id, score, max_score, did_pass in attempts:
        learner = user_id or f"deleted-{count[quiz_id]}"  # a deleted account's attempts still count
        tried[quiz_id].add(learner)
        count[quiz_id] += 1
        if did_pass:
            passed[quiz_id].add(learner)
        percent = 100 * score / max_score if max_score else 0
        best[quiz_id][learner] = max(best[quiz_id].get(learner, 0), percent)
    figures = []
    for quiz in quizzes:
        learners = len(tried[quiz.pk])
        figures.append(
            {
                "quiz": quiz,
                "learners": learners,
                "pass_rate": round(100 * len(passed[quiz.pk]) / learners) if learners else None,
                "attempts_per_learner": round(count[quiz.pk] / learners, 1) if learners else None,
                "average_best": round(sum(best[quiz.pk].values()) / learners) if learners else None,
            }
        )
    return figures


def hardest_questions(quizzes, limit=10):
    """The questions learners get right least often, with their discrimination index: the share right in
    the best-scoring 27 % of attempts minus the share right in the lowest 27 % (from -1 to 1; a good
    question scores 0.3 or more, one below 0 is answered better by weaker learners)."""
    attempts = {
        pk: (100 * score / max_score if max_score else 0)
        for pk, score, max_score in Attempt.objects.submitted()
        .filter(quiz__in=quizzes)
        .values_list("pk", "score", "max_score")
    }
    by_question = defaultdict(dict)
    for attempt_id, quiz_id, key, correct in Answer.objects.filter(attempt_id__in=list(attempts)).values_list(
        "attempt_id", "attempt__quiz_id", "question_key", "is_correct"
    ):
        by_question[(quiz_id, key)][attempt_id] = bool(correct)
    ranked = sorted(attempts, key=attempts.get)
    size = int(len(ranked) * GROUP_SHARE)
    lower, upper = set(ranked[:size]), set(ranked[-size:]) if size else set()
    prompts = {(question.quiz_id, question.key): question for quiz in quizzes for question in quiz.questions.all()}
    found = []
    for (quiz_id, key), results in by_question.items():
        question = prompts.get((quiz_id, key))
        if question is None:
            continue  # deleted since: attempts keep it, the list of today's questions does not
        discrimination = None
        if len(ranked) >= MIN_ATTEMPTS_FOR_DISCRIMINATION and size:
            up = [results[a] for a in upper if a in results]
            low = [results[a] for a in lower if a in results]
            if up and low:
                discrimination = round(sum(up) / len(up) - sum(low) / len(low), 2)
        found.append(
            QuestionFigures(
                quiz=question.quiz,
                key=key,
                prompt=html.unescape(strip_tags(question.prompt_html)).strip(),
                answered=len(results),
                right=sum(results.values()),
                discrimination=discrimination,
            )
        )
    found.sort(key=lambda figures: (figures.share_right, -figures.answered))
    return found[:limit]


def progress_rows(course, lessons, quizzes):
    """One row per enrolled learner: name, enrolment and completion dates, lessons done, best score per quiz."""
    enrollments = Enrollment.objects.filter(course=course).select_related("user").order_by("enrolled_at", "pk")
    done = Counter(
        LessonProgress.objects.filter(lesson__in=lessons, user__enrollments__course=course).values_list(
            "user_id", flat=True
        )
    )
    best = defaultdict(dict)
    for user_id, quiz_id, score, max_score in (
        Attempt.objects.submitted()
        .filter(quiz__in=quizzes, user__isnull=False)
        .values_list("user_id", "quiz_id", "score", "max_score")
    ):
        percent = round(100 * score / max_score) if max_score else 0
        best[user_id][quiz_id] = max(best[user_id].get(quiz_id, 0), percent)
    for enrollment in enrollments:
        user = enrollment.user
        yield {
            "username": user.get_username(),
            "name": display_name(user),
            "enrolled_at": enrollment.enrolled_at,
            "lessons_done": done.get(user.pk, 0),
            "best": [best[user.pk].get(quiz.pk) for quiz in quizzes],
            "completed_at": enrollment.completed_at,
        }
