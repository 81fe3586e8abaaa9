"""The Content-Security-Policy in a real browser: no page, the admin's included, does anything it forbids."""

import pytest

from courses.models import Course
from kb.models import Article
from quizzes.models import Quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects every violation the browser reports, from the moment each page starts loading.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _violations(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations")


def test_public_pages_and_the_admin_break_no_rule(browser, live_server, starting_content, django_user_model):
    django_user_model.objects.create_superuser("editor-csp", "editor@example.org", "a-long-passphrase-42")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))

    article = Article.objects.get(slug="container-stack")
    course = Course.objects.published().first()
    quiz = Quiz.objects.published().first()
    public = [
        "/en/",
        f"/zh-hant/articles/{article.slug}/",
        "/en/search/?q=%E5%AE%B9%E5%99%A8",
        course.get_absolute_url(),
        course.lessons.first().get_absolute_url(),
        quiz.get_absolute_url(),
        "/zh-hant/glossary/",
    ]
    found = {url: _violations(page, f"{live_server.url}{url}") for url in public}

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor-csp")
    page.fill("#id_password", "a-long-passphrase-42")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    for url in (
        "/admin/",
        f"/admin/kb/article/{article.pk}/change/",
        "/admin/kb/article/",
        "/en/authoring/translations/",
    ):
        found[url] = _violations(page, f"{live_server.url}{url}")
    context.close()

    assert {url: problems for url, problems in found.items() if problems} == {}
    assert not [text for text in console if "Content Security Policy" in text]
