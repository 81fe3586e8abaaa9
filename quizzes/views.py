from collections import Counter

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kb import languages
from kb.models import Article
from kb.permissions import can_author
from quizzes import grading, services
from quizzes.forms import MAX_ANSWER_LENGTH, choice_value, field_name, parse_answers
from quizzes.models import Answer, Attempt, Quiz

ERROR_MESSAGES = {
    "no_attempts_left": lambda: _("You have used every attempt this quiz allows."),
    "already_submitted": lambda: _("This attempt was already submitted; nothing was changed."),
    "time_is_up": lambda: _("The time limit has passed, so answers can no longer be changed."),
    "busy": lambda: _("The quiz could not be started just now. Please try again."),
}


def _quiz_for(request, slug):
    quizzes = Quiz.objects.visible_to(request.user).select_related("article", "lesson__course")
    return get_object_or_404(quizzes, slug=slug)


def _belongs_to(quiz, user):
    """The lesson and the article a quiz belongs to, each only where this reader may see it: a published
    quiz in a draft course, or testing a draft article, must not show their titles to learners."""
    author = can_author(user)
    lesson = quiz.lesson if quiz.lesson_id and (author or quiz.lesson.course.is_published) else None
    article = quiz.article if quiz.article_id and (author or quiz.article.is_published) else None
    return {"quiz_lesson": lesson, "quiz_article": article}


def quiz_detail(request, slug):
    quiz = _quiz_for(request, slug)
    context = {
        "quiz": quiz,
        **_belongs_to(quiz, request.user),
        "question_count": quiz.questions.count(),
        "attempts": [],
        "open_attempt": None,
    }
    if request.user.is_authenticated:
        attempts = list(Attempt.objects.filter(user=request.user, quiz=quiz).order_by("-number"))
        context["attempts"] = [attempt for attempt in attempts if not attempt.is_open]
        context["open_attempt"] = next((attempt for attempt in attempts if attempt.is_open), None)
        context["attempts_used"] = len(attempts)
        context["attempts_left"] = quiz.attempts_left(len(attempts))
    return render(request, "quizzes/quiz_detail.html", context)


@require_POST
def quiz_start(request, slug):
    quiz = _quiz_for(request, slug)
    if not request.user.is_authenticated:
        return redirect_to_login(quiz.get_absolute_url())
    try:
        attempt = services.attempt_start(user=request.user, quiz=quiz)
    except services.AttemptError as error:
        messages.error(request, ERROR_MESSAGES[error.code]())
        return redirect(quiz)
    return redirect(attempt)


def attempt_detail(request, slug, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # An unpublished quiz is gone for learners, with its attempts: an open one can no longer be submitted and
    # a finished one no longer shows its answers, until the quiz is published again.
    attempt = get_object_or_404(
        Attempt.objects.select_related("quiz__lesson__course", "quiz__article"),
        pk=pk,
        quiz__in=Quiz.objects.visible_to(request.user),
        quiz__slug=slug,
        user=request.user,
    )
    if request.method == "POST":
        return _attempt_post(request, attempt)
    if attempt.is_open and attempt.is_past_grace():
        attempt = services.attempt_close_expired(attempt=attempt)
        messages.warning(request, _("The time limit has passed: the answers saved in time were graded."))
    if attempt.is_open:
        saved = {answer.question_key: answer for answer in attempt.answers.all()}
        values = {key: {"choice_ids": a.choice_ids, "text": a.text} for key, a in saved.items()}
        return _render_form(request, attempt, values)
    return _render_review(request, attempt)


def _safe_next(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


def _attempt_post(request, attempt):
    if not attempt.is_open:
        messages.info(request, ERROR_MESSAGES["already_submitted"]())
        return redirect(attempt)
    parsed = parse_answers(request.POST, attempt.snapshot)
    if not parsed.is_valid:
        messages.error(
            request, _("Some answers could not be accepted; nothing was saved. See the questions marked below.")
        )
        return _render_form(request, attempt, parsed.answers, errors=parsed.errors, status=400)
    action = request.POST.get("action")
    try:
        if action == "save":
            services.attempt_save_answers(attempt=attempt, answers=parsed.answers)
            messages.success(request, _("Your answers are saved."))
            return redirect(_safe_next(request) or attempt.get_absolute_url())
        if action != "submit":
            messages.error(request, _("Choose whether to save or to submit your answers."))
            return _render_form(request, attempt, parsed.answers, status=400)
        if parsed.missing:
            numbers = [
                str(number)
                for number, question in enumerate(attempt.snapshot["questions"], start=1)
                if question["key"] in parsed.missing
            ]
            messages.error(
                request,
                _("Answer every question before you submit. Still open: %(numbers)s. Nothing was saved.")
                % {"numbers": ", ".join(numbers)},
            )
            return _render_form(request, attempt, parsed.answers, missing=parsed.missing, status=400)
        result = services.attempt_submit(attempt=attempt, answers=parsed.answers)
    except services.AttemptError as error:
        if error.code == "time_is_up":
            services.attempt_close_expired(attempt=attempt)
        messages.error(request, ERROR_MESSAGES[error.code]())
        return redirect(attempt)
    if result.late:
        messages.warning(request, _("The time limit had passed: only the answers saved in time were graded."))
    return redirect(result.attempt)


def _render_form(request, attempt, values, *, errors=None, missing=(), status=200):
    language = languages.current()
    questions = []
    for number, question in enumerate(attempt.snapshot["questions"], start=1):
        value = values.get(question["key"], {})
        chosen = set(value.get("choice_ids", []))
        questions.append(
            {
                "number": number,
                "name": field_name(number),
                "type": question["type"],
                "points": question["points"],
                "prompt_html": question["prompt_html"][language],
                "choices": [
                    {
                        "value": choice_value(position),
                        "text_html": choice["text_html"][language],
                        "checked": choice["id"] in chosen,
                    }
                    for position, choice in enumerate(question["choices"], start=1)
                ],
                "text": value.get("text", ""),
                "error": (errors or {}).get(question["key"]),
                "missing": question["key"] in missing,
            }
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        **_belongs_to(attempt.quiz, request.user),
        "questions": questions,
        "max_length": MAX_ANSWER_LENGTH,
    }
    return render(request, "quizzes/attempt_form.html", context, status=status)


def _reveals_answers(attempt):
    policy = attempt.quiz.show_answers
    if policy == Quiz.ShowAnswers.AFTER_ATTEMPT:
        return True
    if policy == Quiz.ShowAnswers.AFTER_PASS:
        return Attempt.objects.filter(user=attempt.user, quiz=attempt.quiz, passed=True).exists()
    return False


def _render_review(request, attempt):
    language = languages.current()
    reveal = _reveals_answers(attempt)
    answers = {answer.question_key: answer for answer in attempt.answers.all()}
    cited = {question["source"]["article"] for question in attempt.snapshot["questions"]}
    readable = set(Article.objects.visible_to(request.user).filter(slug__in=cited).values_list("slug", flat=True))
    questions = []
    for number, question in enumerate(attempt.snapshot["questions"], start=1):
        answer = answers.get(question["key"])
        chosen = set(answer.choice_ids) if answer else set()
        source = question["source"]
        anchor = source["anchor"][language]
        review_url = None
        if source["article"] in readable:
            review_url = reverse("kb:article-detail", kwargs={"slug": source["article"]})
            review_url += f"#{anchor}" if anchor else ""
        questions.append(
            {
                "number": number,
                "type": question["type"],
                "points": question["points"],
                "earned": answer.points if answer and answer.points is not None else 0,
                "is_correct": bool(answer and answer.is_correct),
                "answered": answer is not None,
                "prompt_html": question["prompt_html"][language],
                "text": answer.text if answer else "",
                "choices": [
                    {
                        "text_html": choice["text_html"][language],
                        "chosen": choice["id"] in chosen,
                        "correct": choice["correct"] if reveal else None,
                        "feedback_html": choice["feedback_html"][language] if reveal else "",
                    }
                    for choice in question["choices"]
                ],
                "accepted": question.get("accepted_display", {}).get(language, []) if reveal else [],
                "explanation_html": question["explanation_html"][language] if reveal else "",
                "review_url": review_url,
                "section": source["section"][language] or source["article"],
            }
        )
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        **_belongs_to(attempt.quiz, request.user),
        "questions": questions,
        "reveal": reveal,
        "can_retake": services.attempts_left(user=attempt.user, quiz=attempt.quiz) != 0,
    }
    return render(request, "quizzes/attempt_review.html", context)


def statistics(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_author(request.user):
        raise PermissionDenied
    quiz = _quiz_for(request, slug)
    submitted = Attempt.objects.submitted().filter(quiz=quiz)
    summary = submitted.aggregate(
        attempts=Count("pk"),
        learners=Count("user", distinct=True),
        average=Avg("score"),
        average_max=Avg("max_score"),
        passed=Count("pk", filter=Q(passed=True)),
    )
    per_question = {
        row["question_key"]: row
        for row in Answer.objects.filter(attempt__in=submitted)
        .values("question_key")
        .annotate(answered=Count("pk"), correct=Count("pk", filter=Q(is_correct=True)))
    }
    picks, typed = Counter(), {}
    for key, choice_ids, text in Answer.objects.filter(attempt__in=submitted).values_list(
        "question_key", "choice_ids", "text"
    ):
        picks.update(choice_ids)
        if text:
            typed.setdefault(key, Counter())[grading.normalize(text)] += 1
    questions = []
    for number, question in enumerate(quiz.questions.prefetch_related("choices"), start=1):
        row = per_question.get(question.key, {"answered": 0, "correct": 0})
        answered = row["answered"]
        questions.append(
            {
                "number": number,
                "question": question,
                "answered": answered,
                "correct_percent": round(100 * row["correct"] / answered) if answered else None,
                "choices": [
                    {
                        "choice": choice,
                        "picked": picks[choice.pk],
                        "percent": round(100 * picks[choice.pk] / answered) if answered else 0,
                    }
                    for choice in question.choices.all()
                ],
                "typed": typed.get(question.key, Counter()).most_common(5),
            }
        )
    attempts = summary["attempts"]
    context = {
        "quiz": quiz,
        "summary": summary,
        "average_percent": (
            round(100 * summary["average"] / summary["average_max"]) if attempts and summary["average_max"] else None
        ),
        "pass_rate": round(100 * summary["passed"] / attempts) if attempts else None,
        "questions": questions,
    }
    return render(request, "quizzes/statistics.html", context)
