from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kb import languages
from kb.models import Article
from learning import dashboard as board
from learning import services
from learning.models import ReviewCard, ReviewLog
from quizzes.forms import MAX_ANSWER_LENGTH, choice_value, field_name, parse_answers

NEW_ACCOUNT = timedelta(minutes=10)


@login_required
def dashboard(request):
    services.review_sync(user=request.user)
    user = request.user
    # Signed in only by signing up (the sign-up logs the new account in): a welcome, not a welcome back.
    is_new = user.last_login is None or user.last_login - user.date_joined < NEW_ACCOUNT
    return render(request, "learning/dashboard.html", {**board.overview(user), "is_new": is_new})


def _question_view(question, language, *, chosen=(), text=""):
    return {
        "name": field_name(1),
        "type": question["type"],
        "prompt_html": question["prompt_html"][language],
        "choices": [
            {
                "value": choice_value(position),
                "text_html": choice["text_html"][language],
                "checked": choice["id"] in chosen,
            }
            for position, choice in enumerate(question["choices"], start=1)
        ],
        "text": text,
    }


@login_required
def review(request):
    """The next question due, one at a time; answering it is graded and scheduled (review_answer)."""
    services.review_sync(user=request.user)
    due = services.due_cards(request.user)
    card = due.select_related("quiz").first()
    context = {"card": card, "due_count": due.count(), "max_length": MAX_ANSWER_LENGTH}
    if card is None:
        upcoming = ReviewCard.objects.filter(user=request.user).order_by("due").first()
        return render(request, "learning/review.html", {**context, "upcoming": upcoming})
    language = languages.current()
    if request.method == "POST" and str(card.pk) == request.POST.get("card"):
        parsed = parse_answers(request.POST, {"questions": [card.question]})
        if parsed.is_valid and not parsed.missing:
            answer = parsed.answers[card.question["key"]]
            log = services.review_answer(card=card, choice_ids=answer["choice_ids"], text=answer["text"])
            return redirect("learning:review-result", pk=log.pk)
        context["error"] = next(iter(parsed.errors.values()), _("Answer the question before you check it."))
        context["question"] = _question_view(card.question, language)
        return render(request, "learning/review.html", context, status=400)
    if request.method == "POST":
        messages.info(request, _("That question was already answered; here is the next one."))
    context["question"] = _question_view(card.question, language)
    return render(request, "learning/review.html", context)


@login_required
def review_result(request, pk):
    log = get_object_or_404(ReviewLog.objects.select_related("card"), pk=pk, card__user=request.user)
    question = log.card.question
    language = languages.current()
    chosen = set(log.response.get("choice_ids", []))
    source = question["source"]
    readable = Article.objects.visible_to(request.user).filter(slug=source["article"]).exists()
    review_url = None
    if readable:
        anchor = source["anchor"][language]
        review_url = reverse("kb:article-detail", kwargs={"slug": source["article"]}) + (f"#{anchor}" if anchor else "")
    context = {
        "log": log,
        "question": {
            "type": question["type"],
            "prompt_html": question["prompt_html"][language],
            "choices": [
                {
                    "text_html": choice["text_html"][language],
                    "chosen": choice["id"] in chosen,
                    "correct": choice["correct"],
                    "feedback_html": choice["feedback_html"][language],
                }
                for choice in question["choices"]
            ],
            "text": log.response.get("text", ""),
            "accepted": question.get("accepted_display", {}).get(language, []),
            "explanation_html": question["explanation_html"][language],
            "section": source["section"][language] or source["article"],
        },
        "review_url": review_url,
        "next_due": log.card.due,
        "due_count": services.due_cards(request.user).count(),
    }
    return render(request, "learning/review_result.html", context)
