import itertools

from kb.tests.factories import make_article
from quizzes.forms import choice_value, field_name
from quizzes.models import Choice, Question, Quiz

_numbers = itertools.count(1)

ARTICLE_BODY_EN = "## Northbridge\n\nFast parts.\n\n## Southbridge\n\nSlow parts."
ARTICLE_BODY_ZH = "## 北橋\n\n快的元件。\n\n## 南橋\n\n慢的元件。"


def make_quiz(*, lesson=None, article=None, **fields):
    """A published quiz with one question of each type (4 points in all), without shuffling."""
    n = next(_numbers)
    article = article or make_article(body_en=ARTICLE_BODY_EN, body_zh_hant=ARTICLE_BODY_ZH)
    quiz = Quiz.objects.create(
        **{
            "slug": f"quiz-{n}",
            "status": Quiz.Status.PUBLISHED,
            "article": article,
            "lesson": lesson,
            "pass_mark": 75,
            "title_en": f"Quiz {n}",
            "title_zh_hant": f"測驗 {n}",
            "description_en": "Check yourself.",
            "description_zh_hant": "自我檢測。",
            **fields,
        }
    )
    single = add_question(
        quiz, article, "single", "Which bridge links the CPU and memory?", "哪一個晶片連接 CPU 與記憶體？"
    )
    add_choice(single, "Northbridge", "北橋", correct=True, feedback_en="FEEDBACK-SECRET right", feedback_zh="回饋：對")
    add_choice(single, "Southbridge", "南橋", feedback_en="FEEDBACK-SECRET wrong", feedback_zh="回饋：錯")
    multiple = add_question(
        quiz,
        article,
        "multiple",
        "Which devices hang off the **slow chip**?",
        "哪些接在**南橋**？",
        partial_credit=True,
    )
    add_choice(multiple, "USB", "USB", correct=True)
    add_choice(multiple, "Hard disk", "硬碟", correct=True)
    add_choice(multiple, "Memory", "記憶體")
    add_choice(multiple, "Graphics card", "顯示卡")
    true_false = add_question(quiz, article, "true_false", "The northbridge is slow.", "北橋很慢。")
    add_choice(true_false, "True", "對")
    add_choice(true_false, "False", "錯", correct=True)
    short = add_question(quiz, article, "short", "Name the chip for slow devices.", "負責慢速裝置的晶片叫什麼？")
    short.accepted_answers_en = "southbridge\nsouth bridge"
    short.accepted_answers_zh_hant = "南橋"
    short.save()
    return quiz


def add_question(quiz, article, kind, prompt_en, prompt_zh, **fields):
    order = quiz.questions.count() + 1
    return Question.objects.create(
        quiz=quiz,
        key=f"q{order}",
        order=order,
        type=kind,
        source_article=article,
        prompt_en=prompt_en,
        prompt_zh_hant=prompt_zh,
        explanation_en=f"EXPLANATION-SECRET {order}",
        explanation_zh_hant=f"解說 {order}",
        source_anchor_en="southbridge" if kind in {"multiple", "short"} else "northbridge",
        **fields,
    )


def add_choice(question, text_en, text_zh, *, correct=False, feedback_en="", feedback_zh=""):
    return Choice.objects.create(
        question=question,
        order=question.choices.count() + 1,
        is_correct=correct,
        text_en=text_en,
        text_zh_hant=text_zh,
        feedback_en=feedback_en,
        feedback_zh_hant=feedback_zh,
    )


def field(attempt, key):
    """The form field name of the question ``key`` in ``attempt``."""
    number = next(n for n, q in enumerate(attempt.snapshot["questions"], 1) if q["key"] == key)
    return field_name(number)


def values(question, *, correct):
    """The form values of the right (or wrong) choices of a snapshot question."""
    return [choice_value(n) for n, c in enumerate(question["choices"], 1) if c["correct"] == correct]


def right_answers(attempt):
    """POST data answering every question of ``attempt`` correctly."""
    data = {}
    for number, question in enumerate(attempt.snapshot["questions"], 1):
        if question["type"] == "short":
            data[field_name(number)] = question["accepted_display"]["en"][0]
        else:
            data[field_name(number)] = values(question, correct=True)
    return data


def wrong_answers(attempt):
    data = {}
    for number, question in enumerate(attempt.snapshot["questions"], 1):
        if question["type"] == "short":
            data[field_name(number)] = "no idea"
        else:
            data[field_name(number)] = values(question, correct=False)[:1]
    return data
