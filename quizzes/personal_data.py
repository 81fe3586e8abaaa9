"""A learner's quiz attempts and answers, for their own export (accounts.services)."""

from quizzes.models import Attempt


def for_user(user):
    attempts = Attempt.objects.filter(user=user).select_related("quiz").prefetch_related("answers")
    attempts = attempts.order_by("quiz__slug", "number")
    return {
        "attempts": [
            {
                "quiz": attempt.quiz.slug,
                "number": attempt.number,
                "started_at": attempt.started_at.isoformat(),
                "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
                "score": str(attempt.score) if attempt.score is not None else None,
                "max_score": str(attempt.max_score),
                "passed": attempt.passed,
                "answers": [
                    {
                        "question": answer.question_key,
                        "choices": _choice_texts(attempt, answer),
                        "text": answer.text,
                        "points": str(answer.points) if answer.points is not None else None,
                        "correct": answer.is_correct,
                    }
                    for answer in attempt.answers.all()
                ],
            }
            for attempt in attempts
        ]
    }


def _choice_texts(attempt, answer):
    """The texts of the chosen answers as the attempt showed them (in English), not internal ids."""
    question = next((q for q in attempt.snapshot.get("questions", []) if q["key"] == answer.question_key), None)
    if question is None:
        return []
    return [choice["text_html"]["en"] for choice in question["choices"] if choice["id"] in answer.choice_ids]
