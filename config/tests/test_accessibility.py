"""axe-core on every kind of page, the admin's included, in both languages and both colour schemes: any
violation, of any impact, fails. Also: no page, a learner's included, scrolls sideways on a 320 px screen."""

import pytest
from django.test import Client

from config.tests.pages import ANONYMOUS, INSTRUCTOR, learner_paths, make_author
from kb.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The admin is not under a language prefix: its language comes from the language cookie.
ADMIN = ["/admin/", "/admin/kb/article/", "{article_change}"]

# The admin's autocomplete fields (topic, tags, author) are select2 widgets: Django vendors select2 4.0 and its
# script builds their markup in the browser, out of reach of our templates. Three of its habits break a rule;
# each is excused on its own markup only, nowhere else and in no other page than the admin's.
ADMIN_EXCEPTIONS = [
    # A single choice with nothing chosen (an article's author) is a combobox named by its rendered text,
    # which is empty: Django forces data-placeholder="" (AutocompleteMixin.build_attrs) so the choice can be
    # cleared.
    ("aria-input-field-name", ":is(.select2-selection--single, .select2-selection--single *)"),
    # A multiple choice (tags) puts its clear button, a <span>, straight inside the <ul> of chosen items.
    ("list", "ul.select2-selection__rendered"),
    # The search box written inside a multiple choice has no label, and select2 4.0 offers no way to give one.
    ("label", ".select2-search__field"),
]


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return client


def _violations(page, axe_source, exceptions=()):
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async (exceptions) => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => ({...v, nodes: v.nodes.filter(n => !exceptions.some(([rule, selector]) =>
                rule === v.id && document.querySelector(n.target[0])?.matches(selector)))}))
            .filter(v => v.nodes.length)
            .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)""",
        list(exceptions),
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_has_an_accessibility_violation(browser, live_server, starting_content, axe_source, learner,
                                                django_user_model, scheme):  # fmt: skip
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    article = Article.objects.get(slug="container-stack")
    found = {}
    for user, paths in ((None, ANONYMOUS), (learner, None), (make_author(django_user_model), INSTRUCTOR),
                        (superuser, ADMIN)):  # fmt: skip
        context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, bypass_csp=True)
        page = context.new_page()
        if user is not None:
            client = _signed_in(context, live_server, user)
            paths = paths or learner_paths(client, user)
        for language in ("en", "zh-hant"):
            for path in paths:
                if path in ADMIN:
                    path = path.replace("{article_change}", f"/admin/kb/article/{article.pk}/change/")
                    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
                    page.goto(f"{live_server.url}{path}")
                    page.wait_for_load_state("networkidle")  # the previews are in
                    problems = _violations(page, axe_source, ADMIN_EXCEPTIONS)
                else:
                    page.goto(f"{live_server.url}/{language}{path}")
                    problems = _violations(page, axe_source)
                if problems:
                    found[f"{language} {path}"] = problems
        context.close()
    assert not found, found


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_no_page_scrolls_sideways_at_320_px(browser, live_server, starting_content, learner, language):
    wide = {}
    for user in (None, learner):
        context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True)
        page = context.new_page()
        paths = ANONYMOUS if user is None else learner_paths(_signed_in(context, live_server, user), user)
        for path in paths:
            page.goto(f"{live_server.url}/{language}{path}")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            if overflow > 0:
                wide[f"{'learner ' if user else ''}{path}"] = overflow
        context.close()
    assert not wide, f"pages that scroll sideways at 320 px: {wide}"
    assert Article.objects.exists()
