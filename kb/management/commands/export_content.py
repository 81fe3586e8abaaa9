from django.core.management.base import BaseCommand, CommandError

from kb.content import export_folder


class Command(BaseCommand):
    help = "Write the content of every app to a folder, in the format import_content reads."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the folder to write to (created if missing)")

    def handle(self, *args, path, **options):
        try:
            written = export_folder(path)
        except OSError as error:
            raise CommandError(f"Cannot write to {path}: {error.strerror}.") from None
        self.stdout.write(self.style.SUCCESS(f"Wrote {written} files to {path}."))
