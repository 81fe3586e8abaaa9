import re
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonProgress
from courses.tests.factories import make_course
from quizzes import services
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from quizzes.tests.factories import field, make_quiz, right_answers, values, wrong_answers

pytestmark = pytest.mark.django_db


def start(client, quiz, lang="en"):
    response = client.post(f"/{lang}/quizzes/{quiz.slug}/start/")
    assert response.status_code == 302, response
    return Attempt.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def attempt_url(attempt, lang="en"):
    return f"/{lang}/quizzes/{attempt.quiz.slug}/attempts/{attempt.pk}/"


def submit(client, attempt, data, lang="en", **extra):
    return client.post(attempt_url(attempt, lang), {**data, "action": "submit"}, **extra)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


class TestQuizPage:
    @pytest.mark.parametrize(("lang", "text"), [("en", "Pass mark: 75%"), ("zh-hant", "及格分數：75%")])
    def test_intro(self, client, lang, text):
        quiz = make_quiz(attempts_allowed=2, time_limit_minutes=10)
        html = client.get(f"/{lang}/quizzes/{quiz.slug}/").content.decode()
        assert text in html
        assert quiz.title_zh_hant in html if lang == "zh-hant" else quiz.title_en in html

    def test_draft_quiz_is_404_for_learners(self, signed_in):
        quiz = make_quiz(status="draft")
        assert signed_in.get(f"/en/quizzes/{quiz.slug}/").status_code == 404
        assert signed_in.post(f"/en/quizzes/{quiz.slug}/start/").status_code == 404

    def test_unpublishing_a_quiz_takes_its_attempts_away_until_it_returns(self, signed_in):
        quiz = make_quiz()
        finished = start(signed_in, quiz)
        submit(signed_in, finished, right_answers(finished))
        open_attempt = start(signed_in, quiz)
        Quiz.objects.filter(pk=quiz.pk).update(status=Quiz.Status.DRAFT)
        for lang in ("en", "zh-hant"):
            assert signed_in.get(attempt_url(finished, lang)).status_code == 404
            assert signed_in.get(attempt_url(open_attempt, lang)).status_code == 404
        assert submit(signed_in, open_attempt, right_answers(open_attempt)).status_code == 404
        open_attempt.refresh_from_db()
        assert open_attempt.is_open and not open_attempt.answers.exists()
        Quiz.objects.filter(pk=quiz.pk).update(status=Quiz.Status.PUBLISHED)
        assert signed_in.get(attempt_url(finished)).status_code == 200
        assert submit(signed_in, open_attempt, right_answers(open_attempt)).status_code == 302

    def test_anonymous_start_goes_to_login(self, client):
        quiz = make_quiz()
        response = client.post(f"/en/quizzes/{quiz.slug}/start/")
        assert response["Location"] == f"/en/accounts/login/?next=/en/quizzes/{quiz.slug}/"
        assert not Attempt.objects.exists()

    def test_shows_attempts_used_and_left(self, signed_in, learner):
        quiz = make_quiz(attempts_allowed=3)
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, wrong_answers(attempt))
        html = signed_in.get(f"/en/quizzes/{quiz.slug}/").content.decode()
        assert "You have 2 attempts left." in html
        assert "Try again" in html
        assert 'class="attempts-table"' in html


class TestTakingAQuiz:
    def test_start_resumes_the_open_attempt(self, signed_in):
        quiz = make_quiz()
        first = start(signed_in, quiz)
        again = start(signed_in, quiz)
        assert first == again
        assert Attempt.objects.count() == 1

    def test_submit_grades_on_the_server(self, signed_in):
        quiz = make_quiz()
        attempt = start(signed_in, quiz)
        response = submit(signed_in, attempt, right_answers(attempt))
        assert response.status_code == 302
        attempt.refresh_from_db()
        assert (attempt.score, attempt.max_score, attempt.passed, attempt.late) == (4, 4, True, False)
        html = signed_in.get(attempt_url(attempt)).content.decode()
        assert "100%" in html and "Passed" in html

    def test_the_form_says_nothing_about_which_answer_is_right(self, signed_in):
        """Field names and values are positions in the attempt: no question key, no database id."""
        quiz = make_quiz(shuffle_questions=True, shuffle_choices=True)
        for question in quiz.questions.all():
            question.key = f"the-answer-is-{question.pk}"
            question.save()
        attempt = start(signed_in, quiz)
        html = signed_in.get(attempt_url(attempt)).content.decode()
        names = re.findall(r'<input type="(?:radio|checkbox|text)"[^>]*name="([^"]+)"', html)
        assert sorted(set(names)) == [f"q{n}" for n in range(1, len(attempt.snapshot["questions"]) + 1)]
        for number, question in enumerate(attempt.snapshot["questions"], start=1):
            posted = re.findall(rf'name="q{number}" value="([^"]*)"', html)
            if question["type"] != "short":
                assert posted == [str(n) for n in range(1, len(question["choices"]) + 1)]
            assert question["key"] not in html
        # Re-rendering the same attempt keeps its order, so a saved answer keeps its meaning.
        assert signed_in.get(attempt_url(attempt)).content.decode().count('value="1"') == html.count('value="1"')

    def test_partial_answers_score_partially(self, signed_in):
        quiz = make_quiz()
        attempt = start(signed_in, quiz)
        data = right_answers(attempt)
        multiple = next(q for q in attempt.snapshot["questions"] if q["type"] == "multiple")
        data[field(attempt, multiple["key"])] = values(multiple, correct=True)[:1]
        submit(signed_in, attempt, data)
        attempt.refresh_from_db()
        assert attempt.score == pytest.approx(3.5)
        assert attempt.passed  # 87.5% >= 75%

    def test_full_width_short_answer_matches(self, signed_in):
        attempt = start(signed_in, make_quiz())
        data = right_answers(attempt)
        short = next(q for q in attempt.snapshot["questions"] if q["type"] == "short")
        data[field(attempt, short["key"])] = "ＳＯＵＴＨＢＲＩＤＧＥ"
        submit(signed_in, attempt, data)
        assert Answer.objects.get(attempt=attempt, question_key=short["key"]).is_correct

    def test_answers_in_the_other_language_are_accepted(self, signed_in):
        attempt = start(signed_in, make_quiz())
        data = right_answers(attempt)
        short = next(q for q in attempt.snapshot["questions"] if q["type"] == "short")
        data[field(attempt, short["key"])] = "南橋"
        submit(signed_in, attempt, data, lang="en")
        assert Answer.objects.get(attempt=attempt, question_key=short["key"]).is_correct

    def test_passing_marks_the_linked_lesson_complete(self, signed_in, learner):
        lesson = make_course(lessons=1).lessons.get()
        quiz = make_quiz(lesson=lesson)
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, wrong_answers(attempt))
        assert not LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
        attempt = start(signed_in, quiz)
        response = submit(signed_in, attempt, right_answers(attempt), follow=True)
        assert LessonProgress.objects.filter(user=learner, lesson=lesson).exists()
        assert "is marked as complete" in response.content.decode()

    def test_switching_language_keeps_the_answers(self, signed_in):
        attempt = start(signed_in, make_quiz())
        data = wrong_answers(attempt)
        response = signed_in.post(
            attempt_url(attempt), {**data, "action": "save", "next": attempt_url(attempt, "zh-hant")}
        )
        assert response["Location"] == attempt_url(attempt, "zh-hant")
        html = signed_in.get(response["Location"]).content.decode()
        assert "負責慢速裝置的晶片叫什麼？" in html
        assert 'value="no idea"' in html
        for question in attempt.snapshot["questions"]:
            if question["type"] != "short":
                chosen = data[field(attempt, question["key"])][0]
                assert re.search(rf'value="{chosen}" checked', html)

    def test_save_refuses_an_outside_next_address(self, signed_in):
        attempt = start(signed_in, make_quiz())
        response = signed_in.post(attempt_url(attempt), {"action": "save", "next": "https://evil.example/"})
        assert response["Location"] == attempt_url(attempt)


class TestIntegrity:
    def test_nothing_reveals_the_answers_before_submission(self, signed_in):
        quiz = make_quiz()
        attempt = start(signed_in, quiz)
        for lang in ("en", "zh-hant"):
            html = signed_in.get(attempt_url(attempt, lang)).content.decode()
            for secret in (
                "EXPLANATION-SECRET",
                "解說",
                "FEEDBACK-SECRET",
                "回饋",
                "southbridge",
                "is_correct",
                "correct",
            ):
                assert secret not in html, secret
            assert not re.search(r"data-[a-z-]*(correct|answer|right)", html)

    def test_starting_quizzes_do_not_leak_their_answers(self, client, learner, starting_content):
        client.force_login(learner)
        for quiz in Question.objects.values_list("quiz__slug", flat=True).distinct():
            attempt = start(client, type("Q", (), {"slug": quiz})())
            html = client.get(attempt_url(attempt, "zh-hant")).content.decode()
            for question in Question.objects.filter(quiz__slug=quiz).prefetch_related("choices"):
                assert question.explanation_html_zh_hant not in html
                for choice in question.choices.all():
                    if choice.feedback_html_zh_hant:
                        assert choice.feedback_html_zh_hant not in html

    def test_second_submission_changes_nothing(self, signed_in):
        attempt = start(signed_in, make_quiz())
        submit(signed_in, attempt, right_answers(attempt))
        attempt.refresh_from_db()
        graded = (attempt.score, attempt.submitted_at)
        response = submit(signed_in, attempt, wrong_answers(attempt), follow=True)
        assert "already submitted; nothing was changed" in response.content.decode()
        attempt.refresh_from_db()
        assert (attempt.score, attempt.submitted_at) == graded
        assert Attempt.objects.count() == 1

    def test_service_refuses_a_second_grading(self, learner):
        quiz = make_quiz()
        attempt = services.attempt_start(user=learner, quiz=quiz)
        services.attempt_submit(attempt=attempt, answers={})
        with pytest.raises(services.AttemptError, match="already_submitted"):
            services.attempt_submit(attempt=attempt, answers={})

    def test_attempts_limit(self, signed_in):
        quiz = make_quiz(attempts_allowed=2)
        for _ in range(2):
            attempt = start(signed_in, quiz)
            submit(signed_in, attempt, wrong_answers(attempt))
        response = signed_in.post(f"/en/quizzes/{quiz.slug}/start/", follow=True)
        assert "You have used every attempt this quiz allows." in response.content.decode()
        assert Attempt.objects.count() == 2

    def test_late_submission_grades_only_what_was_saved_in_time(self, signed_in):
        quiz = make_quiz(time_limit_minutes=5)
        attempt = start(signed_in, quiz)
        data = right_answers(attempt)
        signed_in.post(attempt_url(attempt), {"q1": data["q1"], "action": "save"})
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=2))
        response = submit(signed_in, attempt, data, follow=True)
        assert "only the answers saved in time were graded" in response.content.decode()
        attempt.refresh_from_db()
        assert attempt.late and attempt.score == 1

    def test_submission_within_the_grace_counts(self, signed_in):
        attempt = start(signed_in, make_quiz(time_limit_minutes=5))
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(seconds=5))
        submit(signed_in, attempt, right_answers(attempt))
        attempt.refresh_from_db()
        assert not attempt.late and attempt.score == 4

    def test_expired_attempt_is_closed_when_viewed_and_a_new_one_can_start(self, signed_in):
        quiz = make_quiz(time_limit_minutes=1)
        attempt = start(signed_in, quiz)
        Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=5))
        html = signed_in.get(attempt_url(attempt), follow=True).content.decode()
        assert "The time limit has passed" in html
        attempt.refresh_from_db()
        assert attempt.late and attempt.submitted_at is not None
        assert start(signed_in, quiz) != attempt

    def test_another_learners_attempt_is_404(self, client, learner, django_user_model):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        other = django_user_model.objects.create_user("other", password="x")
        client.force_login(other)
        assert client.get(attempt_url(attempt)).status_code == 404
        assert submit(client, attempt, right_answers(attempt)).status_code == 404
        attempt.refresh_from_db()
        assert attempt.is_open

    def test_anonymous_users_are_sent_to_log_in(self, client, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        response = client.get(attempt_url(attempt))
        assert response["Location"].startswith("/en/accounts/login/?next=")

    def test_submit_needs_csrf(self, learner):
        attempt = services.attempt_start(user=learner, quiz=make_quiz())
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        assert submit(client, attempt, right_answers(attempt)).status_code == 403
        attempt.refresh_from_db()
        assert attempt.is_open


class TestBadInput:
    @pytest.mark.parametrize(
        ("tamper", "message"),
        [
            ("unknown_choice", "That choice does not belong to this question."),
            ("position_zero", "That choice does not belong to this question."),
            ("past_the_last_choice", "That choice does not belong to this question."),
            ("not_a_number", "That choice does not belong to this question."),
            ("two_for_single", "Pick exactly one answer."),
            ("long_text", "Answers can be at most 500 characters long."),
            ("nul_byte", "The answer contains a character that is not allowed."),
            ("missing", "Answer every question before you submit."),
        ],
    )
    def test_is_refused_clearly_and_stores_nothing(self, signed_in, tamper, message):
        attempt = start(signed_in, make_quiz())
        data = right_answers(attempt)
        questions = {q["type"]: q for q in attempt.snapshot["questions"]}
        single, multiple, short = (field(attempt, questions[t]["key"]) for t in ("single", "multiple", "short"))
        if tamper == "unknown_choice":
            data[single] = ["999999"]
        elif tamper == "position_zero":
            data[single] = ["0"]
        elif tamper == "past_the_last_choice":
            data[single] = [str(len(questions["single"]["choices"]) + 1)]
        elif tamper == "not_a_number":
            data[single] = ["1; DROP TABLE"]
        elif tamper == "two_for_single":
            data[single] = values(questions["single"], correct=True) + values(questions["single"], correct=False)
        elif tamper == "long_text":
            data[short] = "x" * 10_000
        elif tamper == "nul_byte":
            data[short] = "south\x00bridge"
        elif tamper == "missing":
            del data[multiple]
        response = submit(signed_in, attempt, data)
        assert response.status_code == 400
        assert message in response.content.decode()
        attempt.refresh_from_db()
        assert attempt.is_open
        assert not Answer.objects.filter(attempt=attempt).exists()

    def test_unknown_action(self, signed_in):
        attempt = start(signed_in, make_quiz())
        response = signed_in.post(attempt_url(attempt), {**right_answers(attempt), "action": "grade-me-please"})
        assert response.status_code == 400
        assert not Answer.objects.exists()


class TestReview:
    def test_shows_answers_explanations_feedback_and_the_section_to_review(self, signed_in):
        attempt = start(signed_in, make_quiz())
        submit(signed_in, attempt, wrong_answers(attempt))
        html = signed_in.get(attempt_url(attempt, "zh-hant")).content.decode()
        assert "解說 1" in html
        assert "回饋：錯" in html
        article = attempt.quiz.article
        assert f'<a href="/zh-hant/articles/{article.slug}/#northbridge">複習：北橋</a>' in html
        assert f'<a href="/zh-hant/articles/{article.slug}/#southbridge">複習：南橋</a>' in html
        english = signed_in.get(attempt_url(attempt)).content.decode()
        assert f'<a href="/en/articles/{article.slug}/#southbridge">Review: Southbridge</a>' in english

    def test_after_pass_policy_hides_answers_until_passed(self, signed_in):
        quiz = make_quiz(show_answers="after_pass")
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, wrong_answers(attempt))
        html = signed_in.get(attempt_url(attempt)).content.decode()
        assert "EXPLANATION-SECRET" not in html
        assert "FEEDBACK-SECRET" not in html
        assert 'class="tag-correct"' not in html
        assert "shown once you pass" in html
        assert "Review: Northbridge" in html
        second = start(signed_in, quiz)
        submit(signed_in, second, right_answers(second))
        assert "EXPLANATION-SECRET" in signed_in.get(attempt_url(attempt)).content.decode()

    def test_never_policy(self, signed_in):
        attempt = start(signed_in, make_quiz(show_answers="never"))
        submit(signed_in, attempt, right_answers(attempt))
        html = signed_in.get(attempt_url(attempt)).content.decode()
        assert "EXPLANATION-SECRET" not in html
        assert 'class="tag-correct"' not in html

    def test_review_survives_edits_and_deletions(self, signed_in):
        quiz = make_quiz()
        attempt = start(signed_in, quiz)
        submit(signed_in, attempt, right_answers(attempt))
        before = signed_in.get(attempt_url(attempt)).content.decode()
        single = quiz.questions.get(type="single")
        single.prompt_en = "Rewritten question"
        single.save()
        Choice.objects.filter(question=single, is_correct=True).update(is_correct=False)
        quiz.questions.get(type="short").delete()
        attempt.refresh_from_db()
        assert attempt.score == 4
        after = signed_in.get(attempt_url(attempt)).content.decode()
        assert "Which bridge links the CPU and memory?" in after and "Rewritten question" not in after
        assert after.count("✓ Correct") == before.count("✓ Correct") == 4

    def test_query_counts_do_not_grow_with_questions(self, signed_in):
        from quizzes.tests.factories import add_question

        def counts(quiz):
            attempt = start(signed_in, quiz)
            numbers = {}
            for name in ("form", "review"):
                if name == "review":
                    submit(signed_in, attempt, right_answers(attempt))
                with CaptureQueriesContext(connection) as queries:
                    assert signed_in.get(attempt_url(attempt)).status_code == 200
                numbers[name] = len(queries)
            with CaptureQueriesContext(connection) as queries:
                signed_in.get(f"/en/quizzes/{quiz.slug}/")
            numbers["intro"] = len(queries)
            return numbers

        small = counts(make_quiz())
        big = make_quiz()
        for _ in range(10):
            question = add_question(big, big.article, "short", "More?", "還有？")
            question.accepted_answers_en = "yes"
            question.save()
        assert counts(big) == small
        assert small["form"] <= 5 and small["review"] <= 6 and small["intro"] <= 6


class TestStatistics:
    def test_figures(self, client, django_user_model, instructor):
        quiz = make_quiz()
        for index, answers in enumerate((right_answers, right_answers, wrong_answers)):
            user = django_user_model.objects.create_user(f"l{index}", password="x")
            attempt = services.attempt_start(user=user, quiz=quiz)
            client.force_login(user)
            submit(client, attempt, answers(attempt))
        client.force_login(instructor)
        html = client.get(f"/en/quizzes/{quiz.slug}/statistics/").content.decode()
        assert re.search(r"Submitted attempts</dt><dd>3</dd>", html)
        assert re.search(r"Pass rate</dt><dd>67%</dd>", html)
        assert re.search(r"Average score</dt><dd>67%</dd>", html)
        assert "67% right, of 3 answers" in html
        assert "67% (2)" in html and "33% (1)" in html
        assert "<tr><td>no idea</td><td>1</td></tr>" in html

    def test_learners_and_staff_who_do_not_author_cannot_see_statistics(self, signed_in, client, staff_only):
        quiz = make_quiz()
        staff = Client()
        staff.force_login(staff_only)
        assert staff.get(f"/en/quizzes/{quiz.slug}/statistics/").status_code == 403
        assert "Statistics for instructors" not in staff.get(f"/en/quizzes/{quiz.slug}/").content.decode()
        assert signed_in.get(f"/en/quizzes/{quiz.slug}/statistics/").status_code == 403
        assert "不能開啟這個頁面" in signed_in.get(f"/zh-hant/quizzes/{quiz.slug}/statistics/").content.decode()
        client.logout()
        assert client.get(f"/en/quizzes/{quiz.slug}/statistics/").status_code == 302


@pytest.mark.django_db(transaction=True)
class TestConcurrency:
    """Several requests at the same moment, each on its own database connection."""

    def run_together(self, target, count=4):
        barrier = threading.Barrier(count)
        results, errors = [], []

        def work():
            try:
                barrier.wait()
                results.append(target())
            except Exception as error:
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=work) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results, errors

    def test_concurrent_starts_make_one_attempt(self, django_user_model):
        user = django_user_model.objects.create_user("racer", password="x")
        quiz = make_quiz(attempts_allowed=1)
        results, errors = self.run_together(lambda: services.attempt_start(user=user, quiz=quiz).pk)
        assert Attempt.objects.filter(user=user, quiz=quiz).count() == 1
        assert len(set(results)) == 1
        assert all(isinstance(error, services.AttemptError) for error in errors), errors

    def test_concurrent_submits_grade_once(self, django_user_model):
        user = django_user_model.objects.create_user("racer", password="x")
        attempt = services.attempt_start(user=user, quiz=make_quiz())
        answers = {q["key"]: {"choice_ids": [], "text": "x"} for q in attempt.snapshot["questions"]}
        results, errors = self.run_together(lambda: services.attempt_submit(attempt=attempt, answers=answers))
        assert len(results) == 1
        assert all(getattr(error, "code", None) == "already_submitted" for error in errors), errors
        assert Attempt.objects.submitted().count() == 1
