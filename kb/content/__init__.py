"""Content as files: read and write the ``content/`` folder (format: docs/content-format.md).

Each app that keeps content in files declares its *sections* on its AppConfig (``content_sections``):
the knowledge base (topics, tags, articles; the glossary), courses (courses and lessons), quizzes. Import reads and
checks every section's files before it writes anything, then writes them all in one transaction, so a
malformed file leaves the database exactly as it was. Export writes the same format back.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import import_string

from kb.content.files import ContentError, Reader
from search import index

__all__ = ["ContentError", "ImportReport", "export_folder", "import_folder", "read_folder", "sections"]


def sections():
    """One instance of every app's content section, in INSTALLED_APPS order (articles before courses)."""
    return [import_string(path)() for app in apps.get_app_configs() for path in getattr(app, "content_sections", ())]


@dataclass
class ImportReport:
    kinds: list = field(default_factory=list)
    numbers: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def count(self, outcome, kind, by=1):
        if kind not in self.kinds:
            self.kinds.append(kind)
        self.numbers[outcome][kind] += by

    def line(self, outcome):
        return ", ".join(f"{self.numbers[outcome][kind]} {kind}" for kind in self.kinds)

    @property
    def created(self):
        return {kind: self.numbers["created"][kind] for kind in self.kinds}

    @property
    def updated(self):
        return {kind: self.numbers["updated"][kind] for kind in self.kinds}

    @property
    def changed(self):
        return any(any(self.numbers[outcome].values()) for outcome in ("created", "updated", "deleted"))


def read_folder(root):
    """Parse and check a content folder without writing anything; returns [(section, data)] or raises."""
    reader = Reader(root)
    if not reader.root.is_dir():
        raise ContentError([(str(root), "is not a folder.")])
    parsed = [(section, section.read(reader)) for section in sections()]
    if not reader.problems:
        known = {}
        for section, data in parsed:
            section.check(reader, data, known)
    if reader.problems:
        raise ContentError(reader.problems)
    return parsed


@transaction.atomic
def import_folder(root):
    """Load a content folder into the database in one transaction; returns an ImportReport."""
    from kb import glossary_marks

    report = ImportReport()
    for section, data in read_folder(root):
        section.write(data, report)
    # Articles and glossary terms are both written now: mark the terms in every article as the glossary
    # stands, and so work out again which article uses which term.
    glossary_marks.refresh_articles()
    # Whatever changed (or was there before an index existed), search finds every page as it now stands.
    index.rebuild()
    return report


def export_folder(root):
    """Write everything to ``root`` in the format import_folder reads; returns the number of files written."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    return sum(section.export(root) for section in sections())
