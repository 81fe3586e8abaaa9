import copy
import os
from pathlib import Path

import pytest
from django.urls import get_script_prefix

CONTENT_DIR = Path(__file__).resolve().parent / "content"


_renders = {}


@pytest.fixture(autouse=True, scope="session")
def renders_made_once():
    """Rendering is a pure function of its arguments, and the starting content, imported by
    dozens of tests, is the same every time: each distinct text is rendered once per test run. Every test
    still gets its own copy, and a text that fails to render fails every time."""
    from kb import markup

    render = markup._render

    def remembered(*arguments):
        key = (*arguments, get_script_prefix())
        if key not in _renders:
            _renders[key] = render(*arguments)
        return copy.deepcopy(_renders[key])

    markup._render = remembered
    yield
    markup._render = render


@pytest.fixture(autouse=True)
def english_between_tests():
    """A request or a test that switches language must not leave the next test in it."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_cache():
    """Nothing cached by one test (login failures, pages) reaches the next, whose database starts anew."""
    from django.core.cache import caches

    from kb import content_version

    for cache in caches.all():
        cache.clear()
    content_version.forget()


@pytest.fixture
def content_dir():
    return CONTENT_DIR


@pytest.fixture
def starting_content(db):
    """The site's real starting content, imported the way `make run` imports it."""
    from kb.content import import_folder

    return import_folder(CONTENT_DIR)


@pytest.fixture
def instructor(django_user_model):
    """An author: a member of the Instructors group (which makes them staff)."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("teacher", password="x")
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


@pytest.fixture
def staff_only(django_user_model):
    """Staff without the Instructors group: may open the admin, but authors nothing."""
    return django_user_model.objects.create_user("helpdesk", password="x", is_staff=True)


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user("learner", password="x")


# Browser tests: Playwright driving Debian's Chromium against the live test server. Without Chromium (a new
# user's machine) they are skipped with the reason; CI sets REQUIRE_BROWSER_TESTS=1 so a missing browser fails.

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason):
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"browser tests are required here but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -r requirements-dev.txt)")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)")
    # Playwright's sync API keeps an event loop running, which Django's async-safety check mistakes for
    # async code; the ORM calls in browser tests are plain synchronous test code.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script, installed from npm by `make test` (package.json)."""
    path = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        _unavailable(f"axe-core is not installed ({path}: run `npm ci`)")
    return path.read_text()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()
