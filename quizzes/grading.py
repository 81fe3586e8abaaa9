"""What a learner sees and how it is graded: attempt snapshots, answer normalisation and scoring.

Everything here works on the snapshot stored with an attempt, never on the live questions, so editing or
deleting a question later changes neither a past attempt's review nor its score.
"""

import random
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from kb import languages

SPACES = re.compile(r"\s+")
TWO_PLACES = Decimal("0.01")


def normalize(text):
    """NFKC (full-width ＤＯＣＫＥＲ -> DOCKER), case folding, trimmed and single-spaced, without the backticks
    or quotes a learner may put round a name (`depends_on`, "kubelet")."""
    folded = SPACES.sub(" ", unicodedata.normalize("NFKC", text or "").casefold()).strip()
    return folded.replace("`", "").strip("\"'“”‘’「」").strip()


def _per_language(instance, name):
    """``{"en": ..., "zh-hant": ...}``, each language falling back to English when empty."""
    english = getattr(instance, languages.localized(name, "en")) or ""
    return {code: getattr(instance, languages.localized(name, code)) or english for code in languages.codes()}


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _section_titles(article, anchors):
    titles = {}
    for code in languages.codes():
        toc = getattr(article, languages.localized("toc", code)) or []
        titles[code] = next((entry["title"] for entry in toc if entry["id"] == anchors[code]), "")
    return titles


def snapshot(quiz, *, rng=None):
    """Freeze the quiz as this learner will see it: order (shuffled if asked), texts, answers, points."""
    rng = rng or random.Random()
    questions = list(quiz.questions.select_related("source_article").prefetch_related("choices"))
    if quiz.shuffle_questions:
        rng.shuffle(questions)
    frozen = []
    for question in questions:
        choices = list(question.choices.all())
        if quiz.shuffle_choices and question.type != question.Type.TRUE_FALSE:
            rng.shuffle(choices)
        anchors = _per_language(question, "source_anchor")
        written = {code: _lines(text) for code, text in _per_language(question, "accepted_answers").items()}
        # Learners may answer in either language, so every language's answers are accepted.
        accepted = {normalize(line) for lines in written.values() for line in lines}
        frozen.append(
            {
                "id": question.pk,
                "key": question.key,
                "type": question.type,
                "points": question.points,
                "partial_credit": question.partial_credit,
                "prompt_html": _per_language(question, "prompt_html"),
                "explanation_html": _per_language(question, "explanation_html"),
                "source": {
                    "article": question.source_article.slug,
                    "anchor": anchors,
                    "section": _section_titles(question.source_article, anchors),
                },
                "choices": [
                    {
                        "id": choice.pk,
                        "text_html": _per_language(choice, "text_html"),
                        "feedback_html": _per_language(choice, "feedback_html"),
                        "correct": choice.is_correct,
                    }
                    for choice in choices
                ],
                "accepted": sorted(accepted),
                "accepted_display": written,
            }
        )
    return {"questions": frozen}


def max_score(frozen):
    return sum(Decimal(question["points"]) for question in frozen["questions"])


def grade(question, choice_ids=(), text=""):
    """Points earned and whether the answer is fully right, for one snapshot question."""
    points = Decimal(question["points"])
    if question["type"] == "short":
        right = normalize(text) in question["accepted"]
        return (points if right else Decimal(0)), right
    chosen = set(choice_ids)
    correct = {choice["id"] for choice in question["choices"] if choice["correct"]}
    if chosen == correct:
        return points, True
    if question["type"] == "multiple" and question["partial_credit"] and correct:
        # Each right pick earns a share, each wrong pick takes one back; never below zero.
        wrong = chosen - correct
        share = Decimal(max(0, len(chosen & correct) - len(wrong))) / Decimal(len(correct))
        return (points * share).quantize(TWO_PLACES, rounding=ROUND_HALF_UP), False
    return Decimal(0), False
