"""The interface is fully translated, and the compiled catalogue matches the source."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert len(catalogue) > 50


def test_compiled_catalogue_matches_the_po_file():
    def key(entry):
        return entry.msgctxt, entry.msgid, entry.msgid_plural

    source = {key(e): (e.msgstr, e.msgstr_plural) for e in polib.pofile(str(PO)) if not e.obsolete}
    compiled = {key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    compiled.pop((None, "", ""), None)  # the header
    assert compiled == source, "run `make messages` to recompile locale/zh_Hant/LC_MESSAGES/django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (apt-get install gettext)")
def test_no_interface_string_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings again into a scratch copy: every one must already be in django.po."""
    project = Path(settings.BASE_DIR)
    scratch = tmp_path / "project"
    shutil.copytree(
        project,
        scratch,
        ignore=shutil.ignore_patterns(".venv", ".git", "node_modules", "staticfiles", "*.sqlite3", "__pycache__"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hant", "--no-location", "--no-obsolete"],
        cwd=scratch,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin:/usr/local/bin"},
        check=True,
        capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(scratch / PO.relative_to(project)))}
    committed = {e.msgid for e in polib.pofile(str(PO))}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"
