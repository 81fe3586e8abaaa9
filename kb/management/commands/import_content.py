from django.core.management.base import BaseCommand, CommandError

from kb.content import ContentError, import_folder


class Command(BaseCommand):
    help = "Load topics, tags and articles from a content folder (see docs/content-format.md), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the content folder, e.g. content/")

    def handle(self, *args, path, **options):
        try:
            report = import_folder(path)
        except ContentError as error:
            lines = [f"  {where}: {message}" for where, message in error.problems]
            raise CommandError(
                f"Nothing was imported: {len(lines)} problem(s) in {path}\n" + "\n".join(lines)
            ) from None
        counts = ", ".join(f"{report.unchanged[kind]} {kind}" for kind in report.unchanged)
        if not report.changed:
            self.stdout.write(f"Nothing changed: everything in {path} is already up to date ({counts}).")
            return
        for label, numbers in (
            ("Created", report.created),
            ("Updated", report.updated),
            ("Unchanged", report.unchanged),
        ):
            self.stdout.write(f"{label}: " + ", ".join(f"{numbers[kind]} {kind}" for kind in numbers))
        self.stdout.write(self.style.SUCCESS(f"Imported {path}."))
