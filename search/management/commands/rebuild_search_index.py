import sys
import time

from django.core.management.base import BaseCommand

from search.index import rebuild

BAR = 30


class Command(BaseCommand):
    help = "Index every published article and course again, from scratch."

    def handle(self, *args, **options):
        started = time.monotonic()
        interactive = sys.stdout.isatty() and options["verbosity"] > 0

        def progress(done, total):
            if interactive and (done == total or done % 50 == 0):
                filled = BAR * done // max(total, 1)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total}", ending="")
                self.stdout.flush()

        count = rebuild(progress=progress)
        if interactive:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {count} pages (articles and courses) in {time.monotonic() - started:.1f} s.")
        )
