"""What the dashboard shows a learner, read in a fixed number of queries however many courses they take:
per course the lessons done, each quiz's attempts and best score, an unfinished attempt, the certificate;
and how many questions are due for review."""

from dataclasses import dataclass, field

from django.db.models import DateTimeField, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from courses.models import Certificate, Course, Lesson, LessonProgress
from learning import services
from quizzes.models import Attempt, Quiz

CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 160, 48, 4


@dataclass
class QuizSummary:
    quiz: Quiz
    scores: list = field(default_factory=list)  # percent of each submitted attempt, oldest first
    passed: bool = False
    attempts_used: int = 0
    open_attempt: Attempt | None = None

    @property
    def best(self):
        return max(self.scores) if self.scores else None

    @property
    def attempts_left(self):
        return self.quiz.attempts_left(self.attempts_used)

    @property
    def minutes_left(self):
        attempt = self.open_attempt
        if attempt is None or attempt.deadline is None:
            return None
        return max(0, int((attempt.deadline - timezone.now()).total_seconds() // 60))

    @property
    def chart(self):
        """Coordinates of a small line chart of the scores (0-100 %) over attempts, and of the pass mark."""
        if not self.scores:
            return None
        inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
        step = inner_w / max(1, len(self.scores) - 1)

        def y(percent):
            return round(CHART_PAD + inner_h * (1 - percent / 100), 1)

        points = [(round(CHART_PAD + index * step, 1), y(score)) for index, score in enumerate(self.scores)]
        if len(points) == 1:
            points = [(CHART_PAD, points[0][1]), (CHART_WIDTH - CHART_PAD, points[0][1])]
        return {
            "width": CHART_WIDTH,
            "height": CHART_HEIGHT,
            "line": " ".join(f"{x},{y_}" for x, y_ in points),
            "dots": points if len(self.scores) > 1 else points[:1],
            "pass_y": y(self.quiz.pass_mark),
        }


def overview(user):
    not_done = Lesson.objects.filter(course=OuterRef("pk")).exclude(progress__user=user).order_by("order", "pk")
    last_done = LessonProgress.objects.filter(user=user, lesson__course=OuterRef("pk"))
    courses = list(
        Course.objects.visible_to(user)
        .filter(enrollments__user=user)
        .select_related("topic")
        .with_lesson_counts()
        .with_progress(user)
        .annotate(
            enrolled_at=Max("enrollments__enrolled_at"),
            completed_at=Max("enrollments__completed_at"),
            next_lesson_id=Subquery(not_done.values("pk")[:1], output_field=IntegerField()),
            last_completed_at=Subquery(
                last_done.order_by("-completed_at").values("completed_at")[:1], output_field=DateTimeField()
            ),
        )
        .annotate(last_activity=Greatest("enrolled_at", Coalesce("last_completed_at", "enrolled_at")))
        .order_by("-last_activity", "order")
    )
    next_lessons = Lesson.objects.in_bulk([c.next_lesson_id for c in courses if c.next_lesson_id])
    quizzes = list(
        Quiz.objects.published().filter(lesson__course__in=courses).select_related("lesson").order_by("lesson__order")
    )
    summaries = {quiz.pk: QuizSummary(quiz) for quiz in quizzes}
    for attempt in Attempt.objects.filter(user=user, quiz__in=quizzes).order_by("number"):
        summary = summaries[attempt.quiz_id]
        summary.attempts_used += 1
        if attempt.is_open:
            attempt.quiz = summary.quiz
            summary.open_attempt = attempt
        else:
            summary.scores.append(attempt.percent)
            summary.passed = summary.passed or bool(attempt.passed)
    certificates = {c.course_id: c for c in Certificate.objects.valid().filter(user=user, course__in=courses)}
    for course in courses:
        course.next_lesson = next_lessons.get(course.next_lesson_id)
        if course.next_lesson:
            course.next_lesson.course = course
        course.quiz_summaries = [summaries[q.pk] for q in quizzes if q.lesson.course_id == course.pk]
        course.certificate = certificates.get(course.pk)
    return {
        "courses": courses,
        "resume": next((course for course in courses if course.next_lesson), None),
        "due_count": services.due_cards(user).count(),
        "recent": LessonProgress.objects.filter(user=user, lesson__course__in=Course.objects.visible_to(user))
        .select_related("lesson__course")
        .order_by("-completed_at")[:5],
    }
