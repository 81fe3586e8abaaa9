"""The quizzes of a course as requirements for completing it (registered in QuizzesConfig; see
courses.progress): each published quiz of one of the course's lessons must be passed."""

from django.utils.translation import gettext as _

from courses.progress import Requirement
from quizzes.models import Attempt, Quiz


def best_results(user, quizzes):
    """``{quiz id: (best percent, passed)}`` of ``user``'s submitted attempts, in one query."""
    results = {}
    if not user.is_authenticated:
        return results
    rows = Attempt.objects.submitted().filter(user=user, quiz__in=quizzes)
    for quiz_id, score, max_score, passed in rows.values_list("quiz_id", "score", "max_score", "passed"):
        percent = round(100 * score / max_score) if max_score else 0
        best, ever_passed = results.get(quiz_id, (0, False))
        results[quiz_id] = (max(best, percent), ever_passed or bool(passed))
    return results


def requirements(*, user, course, lessons):
    quizzes = list(Quiz.objects.published().filter(lesson__in=lessons).order_by("lesson__order", "slug"))
    results = best_results(user, quizzes)
    found = []
    for quiz in quizzes:
        best, passed = results.get(quiz.pk, (None, False))
        if best is None:
            detail = _("not taken yet; pass mark %(mark)s %%") % {"mark": quiz.pass_mark}
        elif passed:
            detail = _("passed, best score %(best)s %%") % {"best": best}
        else:
            detail = _("best score %(best)s %%, pass mark %(mark)s %%") % {"best": best, "mark": quiz.pass_mark}
        found.append(
            Requirement(
                kind="quiz",
                title=quiz.title,
                url=quiz.get_absolute_url(),
                done=passed,
                detail=detail,
                record={"title": quiz.in_every_language("title"), "result": f"{best or 0} %"},
            )
        )
    return found
