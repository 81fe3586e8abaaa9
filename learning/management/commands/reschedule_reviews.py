from django.core.management.base import BaseCommand

from learning.models import ReviewCard
from learning.services import review_reschedule


class Command(BaseCommand):
    help = (
        "Compute every review card's schedule again from its recorded reviews, with the scheduler's current "
        "parameters (after changing REVIEW_DESIRED_RETENTION, for example)."
    )

    def handle(self, *args, **options):
        count = 0
        for card in ReviewCard.objects.prefetch_related("reviews").iterator(chunk_size=500):
            review_reschedule(card=card)
            count += 1
        self.stdout.write(f"Rescheduled {count} review cards.")
