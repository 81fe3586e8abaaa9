"""Every kind of page, in both languages, anonymous and signed in, is valid HTML to the W3C Nu HTML checker
(vnu.jar, from npm: package.json). It needs Java; without it the test is skipped, in CI too."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from config.tests.pages import ANONYMOUS, INSTRUCTOR, learner_paths, make_author

pytestmark = [pytest.mark.html_checker, pytest.mark.django_db]

VNU = settings.BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANGUAGES = ("en", "zh-hant")


@pytest.fixture(scope="module")
def checker():
    java = shutil.which("java")
    if java is None:
        pytest.skip("no Java on this machine (apt-get install default-jre-headless): the HTML checker needs it")
    if not VNU.exists():
        reason = f"the W3C HTML checker is not installed ({VNU}: run `npm ci --ignore-scripts`)"
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return [java, "-Xss2m", "-jar", str(VNU), "--errors-only", "--format", "json"]


def _render(client, who, paths, folder, pages):
    for language in LANGUAGES:
        for path in paths:
            url = f"/{language}{path}"
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            name = f"{len(pages):03d}-{who}-{re.sub(r'[^A-Za-z0-9]+', '-', url).strip('-')}.html"
            (folder / name).write_bytes(response.content)
            pages[name] = f"{who} {url}"


def test_every_page_is_valid_html(checker, starting_content, learner, django_user_model, tmp_path):
    pages = {}
    _render(Client(), "anonymous", ANONYMOUS, tmp_path, pages)
    signed_in = Client()
    signed_in.force_login(learner)
    _render(signed_in, "learner", learner_paths(signed_in, learner), tmp_path, pages)
    author = Client()
    author.force_login(make_author(django_user_model))
    _render(author, "author", INSTRUCTOR, tmp_path, pages)

    # One Java start for every page: the checker takes them all and reports in JSON on stderr.
    run = subprocess.run([*checker, *sorted(str(tmp_path / name) for name in pages)],
                         capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    report = json.loads(run.stderr or '{"messages": []}')
    errors = [
        f"{pages[Path(m.get('url', '')).name]} line {m.get('lastLine', '?')}: {m['message']}"
        f"  [{(m.get('extract') or '').strip()[:120]}]"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert len(pages) == 2 * (len(ANONYMOUS) + 8 + len(INSTRUCTOR))
    assert not errors, "\n".join(errors)
