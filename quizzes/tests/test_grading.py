from decimal import Decimal

import pytest

from quizzes.grading import grade, normalize, snapshot
from quizzes.tests.factories import make_quiz


def question(kind, correct=(1,), choices=(1, 2, 3, 4), points=2, partial=False, accepted=()):
    return {
        "type": kind,
        "points": points,
        "partial_credit": partial,
        "choices": [{"id": i, "correct": i in correct} for i in choices],
        "accepted": [normalize(a) for a in accepted],
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ＤＯＣＫＥＲ", "docker"),
        ("  Docker  ", "docker"),
        ("kube   let", "kube let"),
        ("Straße", "strasse"),
        ("３００００", "30000"),
        ("`depends_on`", "depends_on"),
        ('"kubelet"', "kubelet"),
        ("「kubelet」", "kubelet"),
        ("` --certificate-renewal=false `", "--certificate-renewal=false"),
    ],
)
def test_normalize(typed, expected):
    assert normalize(typed) == expected


class TestGrade:
    def test_single_choice(self):
        assert grade(question("single"), [1]) == (Decimal(2), True)
        assert grade(question("single"), [2]) == (Decimal(0), False)

    def test_true_false(self):
        assert grade(question("true_false", correct=(2,), choices=(1, 2)), [2]) == (Decimal(2), True)
        assert grade(question("true_false", correct=(2,), choices=(1, 2)), [1]) == (Decimal(0), False)

    def test_multiple_all_or_nothing(self):
        q = question("multiple", correct=(1, 2))
        assert grade(q, [1, 2]) == (Decimal(2), True)
        assert grade(q, [1]) == (Decimal(0), False)
        assert grade(q, [1, 2, 3]) == (Decimal(0), False)

    @pytest.mark.parametrize(
        ("picked", "points"),
        [([1, 2], "2"), ([1], "1.00"), ([1, 3], "0.00"), ([1, 2, 3], "1.00"), ([3, 4], "0.00"), ([], "0.00")],
    )
    def test_multiple_partial_credit(self, picked, points):
        earned, right = grade(question("multiple", correct=(1, 2), partial=True), picked)
        assert earned == Decimal(points)
        assert right == (picked == [1, 2])

    def test_partial_credit_rounds_to_cents(self):
        earned, _ = grade(question("multiple", correct=(1, 2, 3), points=1, partial=True), [1])
        assert earned == Decimal("0.33")

    @pytest.mark.parametrize("typed", ["docker", "ＤＯＣＫＥＲ", "  Docker ", "DOCKER"])
    def test_short_answer_matches_after_normalising(self, typed):
        assert grade(question("short", accepted=["Docker"]), text=typed) == (Decimal(2), True)

    def test_short_answer_wrong_or_empty(self):
        assert grade(question("short", accepted=["docker"]), text="podman") == (Decimal(0), False)
        assert grade(question("short", accepted=["docker"]), text="") == (Decimal(0), False)


@pytest.mark.django_db
class TestSnapshot:
    def test_keeps_both_languages_and_the_answers(self):
        frozen = snapshot(make_quiz())
        first = frozen["questions"][0]
        assert first["prompt_html"]["zh-hant"] == "<p>哪一個晶片連接 CPU 與記憶體？</p>"
        assert first["source"]["section"] == {"en": "Northbridge", "zh-hant": "北橋"}
        assert [c["correct"] for c in first["choices"]] == [True, False]
        short = frozen["questions"][3]
        assert short["accepted"] == ["south bridge", "southbridge", "南橋"]

    def test_shuffles_when_asked(self):
        import random

        quiz = make_quiz(shuffle_questions=True, shuffle_choices=True)
        orders = {tuple(q["key"] for q in snapshot(quiz, rng=random.Random(seed))["questions"]) for seed in range(20)}
        assert len(orders) > 1
