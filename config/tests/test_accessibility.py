"""axe-core on every kind of page, in both languages and both colour schemes: any violation, of any impact,
fails. Also: no page scrolls sideways on a 320 px screen."""

import pytest
from django.test import Client

from config.tests.pages import ANONYMOUS, INSTRUCTOR, learner_paths, make_author
from kb.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return client


def _violations(page, axe_source):
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(
            v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_an_accessibility_violation(browser, live_server, starting_content, axe_source, learner,
                                                django_user_model, scheme):  # fmt: skip
    found = {}
    for user, paths in ((None, ANONYMOUS), (learner, None), (make_author(django_user_model), INSTRUCTOR)):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        if user is not None:
            client = _signed_in(context, live_server, user)
            paths = paths or learner_paths(client, user)
        for language in ("en", "zh-hant"):
            for path in paths:
                page.goto(f"{live_server.url}/{language}{path}")
                if problems := _violations(page, axe_source):
                    found[f"{language}{path}"] = problems
        context.close()
    assert not found, found


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_no_page_scrolls_sideways_at_320_px(browser, live_server, starting_content, language):
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True)
    page = context.new_page()
    wide = {}
    for path in ANONYMOUS:
        page.goto(f"{live_server.url}/{language}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[path] = overflow
    context.close()
    assert not wide, f"pages that scroll sideways at 320 px: {wide}"
    assert Article.objects.exists()
