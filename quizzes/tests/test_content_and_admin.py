import shutil
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from kb import languages
from kb.models import Article
from quizzes.models import Question, Quiz
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db

QUIZ = "quizzes/kubeadm-upgrades.yaml"


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(Quiz.objects.values_list("slug", "title_en", "pass_mark", "attempts_allowed")),
        sorted(Question.objects.values_list("quiz__slug", "key", "order", "prompt_en", "source_anchor_zh_hant")),
    )


class TestStartingQuizzes:
    def test_every_article_has_a_quiz_of_six_questions_citing_real_sections(self, starting_content):
        types = set()
        for article in Article.objects.all():
            quiz = Quiz.objects.published().get(article=article)
            questions = list(quiz.questions.select_related("source_article").prefetch_related("choices"))
            assert len(questions) >= 6, article.slug
            for question in questions:
                types.add(question.type)
                for code in languages.codes():
                    assert getattr(question, languages.localized("prompt", code)), (article.slug, question.key)
                    anchor = getattr(question, languages.localized("source_anchor", code))
                    toc = getattr(question.source_article, languages.localized("toc", code))
                    assert anchor in [entry["id"] for entry in toc], (article.slug, question.key, code)
                if question.type == "single":
                    assert sum(c.is_correct for c in question.choices.all()) == 1
                if question.type == "short":
                    assert question.accepted_answers_en and question.accepted_answers_zh_hant
        assert types == {"single", "multiple", "true_false", "short"}

    def test_a_fixed_position_scores_no_better_than_guessing(self, starting_content):
        """A learner who always picks the first, the last or the lowest-numbered choice of every single-choice
        and true/false question must not beat a blind guess by more than a few points."""
        questions = list(Question.objects.filter(type__in=["single", "true_false"]).prefetch_related("choices"))
        guessing = sum(1 / question.choices.count() for question in questions)
        strategies = {
            "first": lambda choices: choices[0],
            "last": lambda choices: choices[-1],
            "lowest id": lambda choices: min(choices, key=lambda choice: choice.pk),
        }
        for name, pick in strategies.items():
            right = sum(pick(list(question.choices.all())).is_correct for question in questions)
            assert right / len(questions) <= guessing / len(questions) + 0.05, (name, right, len(questions))

    def test_quizzes_link_to_the_lesson_that_reads_their_article(self, starting_content):
        for quiz in Quiz.objects.select_related("lesson", "article"):
            assert quiz.lesson is not None, quiz.slug
            assert quiz.lesson.articles.filter(pk=quiz.article_id).exists(), quiz.slug

    def test_article_and_lesson_pages_offer_the_quiz(self, client, starting_content):
        quiz = Quiz.objects.select_related("lesson__course").get(slug="kubeadm-upgrades")
        assert (
            "/zh-hant/quizzes/kubeadm-upgrades/" in client.get("/zh-hant/articles/kubeadm-upgrades/").content.decode()
        )
        lesson_html = client.get(f"/en/courses/{quiz.lesson.course.slug}/lessons/{quiz.lesson.slug}/").content.decode()
        assert "/en/quizzes/kubeadm-upgrades/" in lesson_html


class TestQuizFiles:
    @pytest.fixture
    def folder(self, tmp_path, content_dir):
        target = tmp_path / "content"
        shutil.copytree(content_dir, target)
        run("import_content", str(target))
        return target

    def edit(self, folder, change):
        path = folder / QUIZ
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (lambda t: t.replace("type: single", "type: essay", 1), "type must be one of"),
            (lambda t: t.replace("pass_mark: 70", "pass_mark: 170"), "pass_mark is a percentage"),
            (lambda t: t.replace("show_answers: after_attempt", "show_answers: sometimes"), "show_answers must be one of"),
            (lambda t: t.replace("article: kubeadm-upgrades\n", "article: nope\n", 1), "unknown article 'nope'"),
            (lambda t: t.replace("  slug: upgrade-a-kubeadm-cluster-node-by-node", "  slug: no-such-lesson"), "unknown lesson 'no-such-lesson'"),
            (lambda t: t.replace("correct: false", "correct: true", 1), "needs exactly one correct choice"),
            (lambda t: t.replace("answer: false", "answer: maybe", 1).replace("answer: true", "answer: maybe", 1), "a true_false question gives"),
            (lambda t: t.replace("section: the-upgrade-order", "section: no-such-heading", 1), "cites section #no-such-heading (en)"),
            (lambda t: t + "\x00", "contains a NUL byte"),
            (lambda t: t.replace("points: 1", "points: 40000", 1), "points must be a whole number from 0 to 32,767"),
            (lambda t: t.replace("prompt:\n    en: ", "prompt:\n    en: x" + "[" * 20000, 1), "too many “[”"),
            (lambda t: t.replace("questions:", "questions: []\nold:"), "questions must be a list"),
        ],
    )  # fmt: skip
    def test_malformed_quiz_file_names_the_file_and_imports_nothing(self, folder, change, message):
        before = snapshot()
        self.edit(folder, change)
        with pytest.raises(CommandError) as error:
            run("import_content", str(folder))
        assert "kubeadm-upgrades.yaml: " in str(error.value)
        assert message in str(error.value)
        assert snapshot() == before

    def test_a_question_removed_from_the_file_is_removed(self, folder):
        text = (folder / QUIZ).read_text(encoding="utf-8")
        before = text.count("\n- key: ")
        head, questions = text.split("questions:\n", 1)
        kept = "\n- key: ".join(questions.split("\n- key: ")[:-1])
        (folder / QUIZ).write_text(head + "questions:\n" + kept + "\n", encoding="utf-8")
        output = run("import_content", str(folder))
        assert "1 questions" in next(line for line in output.splitlines() if line.startswith("Deleted"))
        assert Quiz.objects.get(slug="kubeadm-upgrades").questions.count() == before - 1


class TestAdmin:
    @pytest.fixture
    def instructor(self, client, django_user_model):
        user = django_user_model.objects.create_user("teacher", password="x")
        user.groups.add(Group.objects.get(name="Instructors"))
        client.force_login(user)
        return user

    def question_data(self, question, **changes):
        data = {
            "quiz": question.quiz_id,
            "key": question.key,
            "order": question.order,
            "type": question.type,
            "points": question.points,
            "source_article": question.source_article_id,
            "prompt_en": question.prompt_en,
            "prompt_zh_hant": question.prompt_zh_hant,
            "source_anchor_en": question.source_anchor_en,
            "source_anchor_zh_hant": question.source_anchor_zh_hant or "",
            "accepted_answers_en": question.accepted_answers_en or "",
            "choices-TOTAL_FORMS": str(question.choices.count()),
            "choices-INITIAL_FORMS": str(question.choices.count()),
            "choices-MIN_NUM_FORMS": "0",
            "choices-MAX_NUM_FORMS": "1000",
        }
        for index, choice in enumerate(question.choices.all()):
            data |= {
                f"choices-{index}-id": choice.pk,
                f"choices-{index}-question": question.pk,
                f"choices-{index}-order": choice.order,
                f"choices-{index}-text_en": choice.text_en,
                f"choices-{index}-text_zh_hant": choice.text_zh_hant,
            }
            if choice.is_correct:
                data[f"choices-{index}-is_correct"] = "on"
        return {**data, **changes}

    def test_instructor_can_edit_a_valid_question(self, client, instructor):
        question = make_quiz().questions.get(type="single")
        response = client.post(
            f"/admin/quizzes/question/{question.pk}/change/", self.question_data(question, prompt_en="Reworded?")
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        question.refresh_from_db()
        assert question.prompt_html_en == "<p>Reworded?</p>"

    @pytest.mark.parametrize(
        ("kind", "changes", "message"),
        [
            ("single", {"choices-1-is_correct": "on"}, "A single-choice question needs exactly one correct choice."),
            ("multiple", {"choices-0-is_correct": "", "choices-1-is_correct": ""}, "A multiple-choice question needs at least one correct choice."),
            ("short", {"accepted_answers_en": ""}, "A short-answer question needs at least one accepted answer."),
            ("single", {"source_anchor_en": "nowhere"}, "is not a heading of this article in this language"),
            ("single", {"source_anchor_zh_hant": "不存在"}, "is not a heading of this article in this language"),
        ],
    )  # fmt: skip
    def test_validation(self, client, instructor, kind, changes, message):
        question = make_quiz().questions.get(type=kind)
        data = self.question_data(question)
        for key, value in changes.items():
            if value == "":
                data.pop(key, None)
            else:
                data[key] = value
        before = question.source_anchor_en
        response = client.post(f"/admin/quizzes/question/{question.pk}/change/", data)
        assert response.status_code == 200
        assert message in response.content.decode()
        question.refresh_from_db()
        assert question.source_anchor_en == before

    def test_instructor_cannot_delete_quizzes(self, client, instructor):
        quiz = make_quiz()
        assert client.get(f"/admin/quizzes/quiz/{quiz.pk}/change/").status_code == 200
        assert client.get(f"/admin/quizzes/quiz/{quiz.pk}/delete/").status_code == 403
