from django.core.management.base import BaseCommand, CommandError

from kb.content import ContentError, import_folder


class Command(BaseCommand):
    help = "Load the content of every app from a content folder (docs/content-format.md), all or nothing."

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
        if not report.changed:
            self.stdout.write(
                f"Nothing changed: everything in {path} is already up to date ({report.line('unchanged')})."
            )
            return
        outcomes = ["created", "updated", "unchanged"]
        if any(report.numbers["deleted"].values()):
            outcomes.insert(2, "deleted")
        for outcome in outcomes:
            self.stdout.write(f"{outcome.capitalize()}: {report.line(outcome)}")
        self.stdout.write(self.style.SUCCESS(f"Imported {path}."))
