"""Quizzes as files: ``content/quizzes/<slug>.yaml``, both languages, questions and choices in one file."""

from dataclasses import dataclass, field

from courses.models import Lesson
from kb import languages
from kb.content.files import dump_yaml, save, texts, translated
from kb.models import Article
from quizzes.models import Choice, Question, Quiz

QUIZZES_DIR = "quizzes"
QUIZ_KEYS = (
    "slug", "title", "description", "article", "lesson", "pass_mark", "attempts_allowed", "time_limit_minutes",
    "shuffle_questions", "shuffle_choices", "show_answers", "status", "questions",
)  # fmt: skip
QUESTION_KEYS = (
    "key", "type", "points", "partial_credit", "prompt", "explanation", "source", "choices", "answer", "accepted",
)  # fmt: skip
TYPES = {choice.value for choice in Question.Type}
STATUSES = {choice.value for choice in Quiz.Status}
SHOW_ANSWERS = {choice.value for choice in Quiz.ShowAnswers}
# True-or-false questions are stored as two choices with these texts.
TRUE_FALSE_TEXTS = ({"en": "True", "zh-hant": "對"}, {"en": "False", "zh-hant": "錯"})


@dataclass
class ChoiceData:
    text: dict
    correct: bool
    feedback: dict


@dataclass
class QuestionData:
    key: str
    type: str
    points: int
    partial_credit: bool
    prompt: dict
    explanation: dict
    source_article: str
    source_anchor: dict
    choices: list = field(default_factory=list)
    accepted: dict = field(default_factory=dict)  # language -> [answers]


@dataclass
class QuizData:
    path: object
    slug: str
    title: dict
    description: dict
    article: str | None
    lesson: tuple | None  # (course slug, lesson slug)
    settings: dict
    questions: list


def _flag(reader, path, value, what):
    if not isinstance(value, bool):
        reader.problem(path, f"{what} must be true or false.")
    return value


class QuizSection:
    # Reading

    def read(self, reader):
        quizzes = (self.read_quiz(reader, path, data) for path, data in reader.mappings(QUIZZES_DIR, "quiz"))
        return [quiz for quiz in quizzes if quiz is not None]

    def read_quiz(self, reader, path, data):
        before = len(reader.problems)
        slug = reader.file_slug(path, data, "quiz")
        reader.unknown_keys(path, data, QUIZ_KEYS, "the quiz")
        title = reader.translations(path, data.get("title"), "title", required=True, max_length=200)
        description = reader.translations(path, data.get("description"), "description", required=False)
        settings = {
            "pass_mark": reader.whole_number(path, data.get("pass_mark", 70), "pass_mark"),
            "attempts_allowed": reader.whole_number(path, data.get("attempts_allowed", 0), "attempts_allowed"),
            "time_limit_minutes": data.get("time_limit_minutes"),
            "shuffle_questions": _flag(reader, path, data.get("shuffle_questions", False), "shuffle_questions"),
            "shuffle_choices": _flag(reader, path, data.get("shuffle_choices", False), "shuffle_choices"),
            "show_answers": data.get("show_answers", Quiz.ShowAnswers.AFTER_ATTEMPT),
            "status": data.get("status"),
        }
        if settings["pass_mark"] is not None and settings["pass_mark"] > 100:
            reader.problem(path, "pass_mark is a percentage: 0 to 100.")
        if settings["time_limit_minutes"] is not None:
            minutes = reader.whole_number(path, settings["time_limit_minutes"], "time_limit_minutes")
            if minutes == 0:
                reader.problem(path, "time_limit_minutes must be 1 or more, or null for no limit.")
        if settings["show_answers"] not in SHOW_ANSWERS:
            reader.problem(path, f"show_answers must be one of {', '.join(sorted(SHOW_ANSWERS))}.")
        if settings["status"] not in STATUSES:
            reader.problem(path, f"status must be one of {', '.join(sorted(STATUSES))}.")
        article = data.get("article")
        if article is not None and not isinstance(article, str):
            reader.problem(path, "article must be an article's slug.")
        lesson = data.get("lesson")
        if lesson is not None:
            if not isinstance(lesson, dict) or set(lesson) != {"course", "slug"}:
                reader.problem(
                    path, "lesson must give the course's slug and the lesson's slug: {course: ..., slug: ...}."
                )
            else:
                lesson = (str(lesson["course"]), str(lesson["slug"]))
        questions = self.read_questions(reader, path, data.get("questions"))
        if len(reader.problems) > before:
            return None
        return QuizData(path, slug, title, description, article, lesson, settings, questions)

    def read_questions(self, reader, path, value):
        if not isinstance(value, list) or not value:
            reader.problem(path, "questions must be a list with at least one question.")
            return []
        questions, seen = [], set()
        for number, entry in enumerate(value, start=1):
            what = f"question {number}"
            if not isinstance(entry, dict):
                reader.problem(path, f"{what} must be a mapping.")
                continue
            key = reader.slug(path, entry.get("key"), what)
            if key in seen:
                reader.problem(path, f"{what}: the key {key!r} is used by an earlier question.")
            seen.add(key)
            reader.unknown_keys(path, entry, QUESTION_KEYS, what)
            kind = entry.get("type")
            if kind not in TYPES:
                reader.problem(path, f"{what}: type must be one of {', '.join(sorted(TYPES))}.")
                continue
            points = reader.whole_number(path, entry.get("points", 1), f"{what}: points")
            prompt = reader.translations(path, entry.get("prompt"), f"{what} prompt", required=True, markdown=True)
            explanation = reader.translations(
                path, entry.get("explanation"), f"{what} explanation", required=False, markdown=True
            )
            source = entry.get("source")
            if not isinstance(source, dict) or not isinstance(source.get("article"), str):
                reader.problem(
                    path,
                    f"{what}: source must give the article and its section: {{article: ..., section: heading-id}}.",
                )
                continue
            section = source.get("section")
            if isinstance(section, str):
                # A section has one id in every language (the English heading's): one value says it.
                anchors = dict.fromkeys(languages.codes(), section)
            else:
                anchors = reader.translations(path, section, f"{what} source section", required=True)
            question = QuestionData(
                key=key,
                type=kind,
                points=points,
                partial_credit=_flag(reader, path, entry.get("partial_credit", False), f"{what}: partial_credit"),
                prompt=prompt,
                explanation=explanation,
                source_article=source["article"],
                source_anchor=anchors,
            )
            self.read_answers(reader, path, what, entry, question)
            questions.append(question)
        return questions

    def read_answers(self, reader, path, what, entry, question):
        if question.type == Question.Type.TRUE_FALSE:
            answer = entry.get("answer")
            if not isinstance(answer, bool) or "choices" in entry:
                reader.problem(
                    path, f"{what}: a true_false question gives `answer: true` or `answer: false`, no choices."
                )
                return
            question.choices = [
                ChoiceData(text=dict(TRUE_FALSE_TEXTS[0]), correct=answer, feedback={}),
                ChoiceData(text=dict(TRUE_FALSE_TEXTS[1]), correct=not answer, feedback={}),
            ]
            return
        if question.type == Question.Type.SHORT:
            accepted = entry.get("accepted")
            if not isinstance(accepted, dict) or set(map(str, accepted)) - set(languages.codes()):
                reader.problem(path, f"{what}: a short question lists accepted answers per language: {{en: [...]}}.")
                return
            for code, answers in accepted.items():
                if not isinstance(answers, list) or not all(isinstance(a, str | int | float) for a in answers):
                    reader.problem(path, f"{what}: accepted answers ({code}) must be a list of words or numbers.")
                    return
                question.accepted[code] = [str(a).strip() for a in answers if str(a).strip()]
            if not any(question.accepted.values()):
                reader.problem(path, f"{what}: a short question needs at least one accepted answer.")
            return
        choices = entry.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            reader.problem(path, f"{what}: a {question.type} question needs a list of at least two choices.")
            return
        for index, choice in enumerate(choices, start=1):
            if not isinstance(choice, dict) or not isinstance(choice.get("correct"), bool):
                reader.problem(path, f"{what}, choice {index}: needs text and `correct: true` or `false`.")
                return
            text = reader.translations(
                path, choice.get("text"), f"{what}, choice {index} text", required=True, max_length=500, markdown=True
            )
            feedback = reader.translations(
                path, choice.get("feedback"), f"{what}, choice {index} feedback", required=False, markdown=True
            )
            question.choices.append(ChoiceData(text=text, correct=choice["correct"], feedback=feedback))
        correct = sum(choice.correct for choice in question.choices)
        if question.type == Question.Type.SINGLE and correct != 1:
            reader.problem(path, f"{what}: a single question needs exactly one correct choice, not {correct}.")
        if question.type == Question.Type.MULTIPLE and correct < 1:
            reader.problem(path, f"{what}: a multiple question needs at least one correct choice.")

    def check(self, reader, quizzes, known):
        articles = {article.slug: article for article in Article.objects.all()}
        lessons = set(Lesson.objects.values_list("course__slug", "slug"))
        known_lessons = known.get("lessons", set()) | lessons
        for quiz in quizzes:
            if quiz.article is not None and quiz.article not in known["articles"]:
                reader.problem(quiz.path, f"unknown article {quiz.article!r}.")
            if quiz.lesson is not None and quiz.lesson not in known_lessons:
                reader.problem(quiz.path, f"unknown lesson {quiz.lesson[1]!r} in course {quiz.lesson[0]!r}.")
            for number, question in enumerate(quiz.questions, start=1):
                if question.source_article not in known["articles"]:
                    reader.problem(quiz.path, f"question {number} cites an unknown article: {question.source_article}")
                    continue
                headings = known.get("headings", {}).get(question.source_article)
                if headings is None and question.source_article in articles:
                    article = articles[question.source_article]
                    headings = {
                        code: [e["id"] for e in getattr(article, languages.localized("toc", code)) or []]
                        for code in languages.codes()
                    }
                for code, anchor in question.source_anchor.items():
                    if headings and headings.get(code) and anchor not in headings[code]:
                        reader.problem(
                            quiz.path,
                            f"question {number} ({question.key}) cites section #{anchor} ({code}), "
                            f"which is not a heading of {question.source_article}.",
                        )

    # Writing to the database

    def write(self, quizzes, report):
        article_ids = dict(Article.objects.values_list("slug", "id"))
        lesson_ids = {
            (course, slug): pk for pk, course, slug in Lesson.objects.values_list("pk", "course__slug", "slug")
        }
        existing = Quiz.objects.in_bulk(field_name="slug")
        for data in quizzes:
            quiz = existing.get(data.slug)
            is_new = quiz is None
            quiz = quiz or Quiz(slug=data.slug)
            values = {
                **data.settings,
                "article_id": article_ids.get(data.article),
                "lesson_id": lesson_ids.get(data.lesson),
                **translated("title", data.title),
                **translated("description", data.description),
            }
            save("quizzes", quiz, values, report, is_new=is_new)
            self.write_questions(quiz, data.questions, article_ids, report)

    def write_questions(self, quiz, questions, article_ids, report):
        existing = {q.key: q for q in quiz.questions.prefetch_related("choices")}
        for order, data in enumerate(questions, start=1):
            question = existing.pop(data.key, None)
            is_new = question is None
            question = question or Question(quiz=quiz, key=data.key)
            values = {
                "order": order,
                "type": data.type,
                "points": data.points,
                "partial_credit": data.partial_credit,
                "source_article_id": article_ids[data.source_article],
                **translated("prompt", data.prompt),
                **translated("explanation", data.explanation),
                **translated("source_anchor", data.source_anchor),
                **translated("accepted_answers", {code: "\n".join(a) for code, a in data.accepted.items()}),
            }
            saved = save("questions", question, values, report, is_new=is_new)
            wanted = [
                (position, c.correct, *(c.text.get(code, "") for code in languages.codes()),
                 *(c.feedback.get(code, "") for code in languages.codes()))
                for position, c in enumerate(data.choices, start=1)
            ]  # fmt: skip
            current = [] if is_new else [self.choice_row(choice) for choice in question.choices.all()]
            if current != wanted:
                question.choices.all().delete()
                Choice.objects.bulk_create(
                    Choice(
                        question=question,
                        order=position,
                        is_correct=choice.correct,
                        **translated("text", choice.text),
                        **translated("feedback", choice.feedback),
                    ).render()
                    for position, choice in enumerate(data.choices, start=1)
                )
                if not saved:
                    report.count("unchanged", "questions", by=-1)
                    report.count("updated", "questions")
        for stale in existing.values():
            stale.delete()
            report.count("deleted", "questions")

    @staticmethod
    def choice_row(choice):
        return (
            choice.order,
            choice.is_correct,
            *(getattr(choice, languages.localized("text", code)) or "" for code in languages.codes()),
            *(getattr(choice, languages.localized("feedback", code)) or "" for code in languages.codes()),
        )

    # Writing files

    def export(self, root):
        quizzes = list(
            Quiz.objects.select_related("article", "lesson__course")
            .prefetch_related("questions__choices", "questions__source_article")
            .order_by("slug")
        )
        if not quizzes:
            return 0
        folder = root / QUIZZES_DIR
        folder.mkdir(parents=True, exist_ok=True)
        for quiz in quizzes:
            data = {"slug": quiz.slug, "title": texts(quiz, "title")}
            if description := texts(quiz, "description"):
                data["description"] = description
            if quiz.article:
                data["article"] = quiz.article.slug
            if quiz.lesson:
                data["lesson"] = {"course": quiz.lesson.course.slug, "slug": quiz.lesson.slug}
            for name in ("pass_mark", "attempts_allowed", "time_limit_minutes", "shuffle_questions",
                         "shuffle_choices", "show_answers", "status"):  # fmt: skip
                data[name] = getattr(quiz, name)
            data["questions"] = [
                self.export_question(q) for q in sorted(quiz.questions.all(), key=lambda q: (q.order, q.pk))
            ]
            (folder / f"{quiz.slug}.yaml").write_text(dump_yaml(data, flow=False), encoding="utf-8")
        return len(quizzes)

    def export_question(self, question):
        data = {"key": question.key, "type": question.type, "points": question.points}
        if question.type == Question.Type.MULTIPLE:
            data["partial_credit"] = question.partial_credit
        data["prompt"] = texts(question, "prompt")
        if explanation := texts(question, "explanation"):
            data["explanation"] = explanation
        anchors = texts(question, "source_anchor")
        shared = set(anchors.values()) == {anchors.get("en")}
        data["source"] = {"article": question.source_article.slug, "section": anchors["en"] if shared else anchors}
        choices = sorted(question.choices.all(), key=lambda c: (c.order, c.pk))
        if question.type == Question.Type.TRUE_FALSE:
            data["answer"] = bool(choices) and choices[0].is_correct
        elif question.type == Question.Type.SHORT:
            data["accepted"] = {code: text.splitlines() for code, text in texts(question, "accepted_answers").items()}
        else:
            data["choices"] = []
            for choice in choices:
                entry = {"text": texts(choice, "text"), "correct": choice.is_correct}
                if feedback := texts(choice, "feedback"):
                    entry["feedback"] = feedback
                data["choices"].append(entry)
        return data
