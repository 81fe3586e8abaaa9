"""A learner's review queue and reviews, for their own export (accounts.services)."""

from learning.models import ReviewCard


def for_user(user):
    return {
        "review_cards": [
            {
                "quiz": card.quiz_title.get("en", ""),
                "question": card.question_key,
                "due": card.due.isoformat(),
                "reviews": [
                    {
                        "source": review.source,
                        "rating": review.rating,
                        "reviewed_at": review.reviewed_at.isoformat(),
                        "correct": review.is_correct,
                    }
                    for review in card.reviews.all()
                ],
            }
            for card in ReviewCard.objects.filter(user=user).prefetch_related("reviews")
        ]
    }
