"""Spaced review: what a learner got wrong comes back on a schedule (FSRS), with a fixed clock here."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from courses.models import Certificate
from learning import services
from learning.models import ReviewCard, ReviewLog
from quizzes import services as quiz_services
from quizzes.forms import choice_value
from quizzes.models import Attempt, Question
from quizzes.tests.factories import make_quiz, right_answers, wrong_answers

pytestmark = pytest.mark.django_db

T0 = timezone.now().replace(microsecond=0) - timedelta(days=30)


def submit(user, quiz, answers, when=T0):
    attempt = quiz_services.attempt_start(user=user, quiz=quiz)
    client = Client()
    client.force_login(user)
    client.post(attempt.get_absolute_url(), {**answers(attempt), "action": "submit"})
    Attempt.objects.filter(pk=attempt.pk).update(submitted_at=when)
    return Attempt.objects.get(pk=attempt.pk)


def answer_of(card, *, right):
    question = card.question
    if question["type"] == "short":
        return {"text": question["accepted_display"]["en"][0] if right else "no idea"}
    chosen = [c["id"] for c in question["choices"] if c["correct"] == right]
    return {"choice_ids": chosen if right else chosen[:1]}


class TestQueue:
    def test_wrong_and_partly_right_answers_enter_the_queue_once(self, learner):
        quiz = make_quiz()
        attempt = submit(learner, quiz, wrong_answers)
        assert services.review_sync(user=learner) == 4
        assert services.review_sync(user=learner) == 0
        cards = ReviewCard.objects.filter(user=learner)
        assert cards.count() == 4
        assert all(card.reviews.get().answer.attempt == attempt for card in cards)
        # A right answer in a later attempt adds nothing; the partly right one does (rating "hard").
        data_attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
        data = right_answers(data_attempt)
        multiple = next(n for n, q in enumerate(data_attempt.snapshot["questions"], 1) if q["type"] == "multiple")
        data[f"q{multiple}"] = data[f"q{multiple}"][:1]
        client = Client()
        client.force_login(learner)
        client.post(data_attempt.get_absolute_url(), {**data, "action": "submit"})
        assert services.review_sync(user=learner) == 1
        assert ReviewLog.objects.filter(source="quiz").order_by("pk").last().rating == 2  # hard

    def test_a_wrong_answer_comes_back_soon_and_right_answers_push_it_further(self, learner):
        submit(learner, make_quiz(), wrong_answers)
        services.review_sync(user=learner)
        card = ReviewCard.objects.filter(user=learner).first()
        assert card.due - T0 <= timedelta(minutes=10)
        intervals, now = [], T0 + timedelta(hours=1)
        for _ in range(4):
            log = services.review_answer(card=card, now=now, **answer_of(card, right=True))
            card.refresh_from_db()
            assert log.is_correct and log.rating == 3
            intervals.append(card.due - now)
            now = card.due
        assert intervals == sorted(intervals) and intervals[-1] > timedelta(days=2)
        services.review_answer(card=card, now=now, **answer_of(card, right=False))
        card.refresh_from_db()
        assert card.due - now <= timedelta(minutes=10)

    def test_the_schedule_can_be_computed_again_from_the_reviews(self, learner, settings):
        submit(learner, make_quiz(), wrong_answers)
        services.review_sync(user=learner)
        card = ReviewCard.objects.filter(user=learner).first()
        now = T0 + timedelta(hours=1)
        for _ in range(3):
            services.review_answer(card=card, now=now, **answer_of(card, right=True))
            card.refresh_from_db()
            now = card.due
        scheduled = card.due
        assert services.review_reschedule(card=card) == scheduled
        settings.REVIEW_DESIRED_RETENTION = 0.75
        assert services.review_reschedule(card=card) > scheduled  # aiming for less retention spaces reviews out
        settings.REVIEW_DESIRED_RETENTION = 0.9
        call_command("reschedule_reviews", stdout=io.StringIO())
        card.refresh_from_db()
        assert card.due == scheduled

    def test_editing_or_deleting_the_question_later_breaks_nothing(self, learner):
        quiz = make_quiz()
        submit(learner, quiz, wrong_answers)
        services.review_sync(user=learner)
        card = ReviewCard.objects.get(user=learner, question_key=quiz.questions.get(type="short").key)
        Question.objects.filter(pk=card.question["id"]).update(prompt_en="Changed", accepted_answers_en="other")
        quiz.delete()
        card.refresh_from_db()
        log = services.review_answer(card=card, text="southbridge", now=T0 + timedelta(hours=1))
        assert log.is_correct
        client = Client()
        client.force_login(learner)
        html = client.get(f"/en/review/answered/{log.pk}/").content.decode()
        assert "Name the chip for slow devices." in html


class TestPages:
    def test_one_due_question_at_a_time_then_its_explanation(self, client, learner):
        quiz = make_quiz()
        submit(learner, quiz, wrong_answers)
        client.force_login(learner)
        page = client.get("/en/review/").content.decode()
        assert "4 questions due now" in page
        card = ReviewCard.objects.filter(user=learner).order_by("due", "pk").first()
        values = [choice_value(n) for n, c in enumerate(card.question["choices"], 1) if c["correct"]]
        data = {"card": card.pk, "q1": values or card.question["accepted_display"]["en"][0]}
        response = client.post("/en/review/", data)
        log = ReviewLog.objects.get(source="review")
        assert response["Location"] == f"/en/review/answered/{log.pk}/"
        result = client.get(response["Location"]).content.decode()
        assert "Right" in result and "EXPLANATION-SECRET" in result and "Review: " in result
        assert "Next question (3 due)" in result
        chinese = client.get(f"/zh-hant/review/answered/{log.pk}/").content.decode()
        assert "答對了" in chinese

    def test_a_bad_answer_is_refused_and_changes_nothing(self, client, learner):
        submit(learner, make_quiz(), wrong_answers)
        client.force_login(learner)
        client.get("/en/review/")
        card = ReviewCard.objects.filter(user=learner).order_by("due", "pk").first()
        for data in ({"card": card.pk}, {"card": card.pk, "q1": "99"}, {"card": card.pk, "q1": "a\x00b"}):
            response = client.post("/en/review/", data)
            assert response.status_code == 400
        assert not ReviewLog.objects.filter(source="review").exists()

    def test_reviews_never_change_scores_or_certificates(self, learner):
        quiz = make_quiz()
        attempt = submit(learner, quiz, wrong_answers)
        services.review_sync(user=learner)
        for card in ReviewCard.objects.filter(user=learner):
            services.review_answer(card=card, now=T0 + timedelta(hours=1), **answer_of(card, right=True))
        attempt.refresh_from_db()
        assert (attempt.score, attempt.passed) == (Decimal(0), False)
        assert not Certificate.objects.exists()

    def test_nobody_else_sees_a_learners_reviews(self, client, learner, django_user_model):
        submit(learner, make_quiz(), wrong_answers)
        services.review_sync(user=learner)
        card = ReviewCard.objects.filter(user=learner).first()
        log = services.review_answer(card=card, now=T0 + timedelta(hours=1), **answer_of(card, right=True))
        client.force_login(django_user_model.objects.create_user("curious", password="x"))
        assert client.get(f"/en/review/answered/{log.pk}/").status_code == 404
        assert "Nothing is due right now" in client.get("/en/review/").content.decode()
        assert client.post("/en/review/", {"card": card.pk, "q1": "1"}).status_code == 200
        assert ReviewLog.objects.filter(source="review").count() == 1
        client.logout()
        assert client.get("/en/review/").status_code == 302
