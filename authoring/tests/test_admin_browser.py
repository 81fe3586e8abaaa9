"""The admin and the instructor's tools in a real browser: change lists that fit a 1280 px screen, language
tabs driven by the keyboard, previews whose wide code blocks can be reached, and the header's instructor menu."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from courses import services
from courses.models import Course
from kb.models import Article
from kb.tests.factories import make_article
from quizzes.models import Quiz

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "A very long title about containers, kernels, namespaces, cgroups and every layer that sits under them"


def signed_in(browser, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(**options)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )
    return context.new_page()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x")


@pytest.fixture
def author(django_user_model):
    # Browser tests empty the database after each test, data migrations included: an author by permission.
    user = django_user_model.objects.create_user("teacher", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="author_content"))
    return user


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_every_change_list_fits_1280_px_and_long_titles_are_whole_on_hover(
    browser, live_server, starting_content, superuser, django_user_model, language
):
    Group.objects.get_or_create(name="Instructors")
    learner = django_user_model.objects.create_user("learner", password="x", email="learner@example.org")
    for course in Course.objects.all():
        services.lesson_mark_complete(user=learner, lesson=course.lessons.order_by("order").first())
    Article.objects.filter(slug="container-stack").update(title_en=LONG_TITLE, title_zh_hant=LONG_TITLE)
    page = signed_in(browser, live_server, superuser, viewport={"width": 1280, "height": 800})
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    too_wide = {}
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page.goto(f"{live_server.url}{url}")
        assert page.locator("#result_list tbody tr").count() > 0, f"{url} lists nothing to measure"
        sizes = page.evaluate(
            """() => ({
                page: document.documentElement.scrollWidth - innerWidth,
                table: document.querySelector("#result_list").scrollWidth
                    - document.querySelector(".results").clientWidth,
            })"""
        )
        if sizes["page"] > 0 or sizes["table"] > 0:
            too_wide[url] = sizes
    assert not too_wide, f"change lists wider than a 1280 px screen: {too_wide}"

    page.goto(f"{live_server.url}/admin/kb/article/")
    cut = page.locator(".field-short_title .truncated")
    assert cut.count() >= 1
    for index in range(cut.count()):
        whole, shown = cut.nth(index).get_attribute("title"), cut.nth(index).inner_text()
        assert shown.endswith("…") and whole.startswith(shown[:-1]) and len(whole) > len(shown)
    assert page.locator(f".truncated[title='{LONG_TITLE}']").count() == 1
    page.context.close()


def test_language_tabs_follow_the_aria_tabs_pattern(browser, live_server, starting_content, superuser):
    article = Article.objects.get(slug="container-stack")
    page = signed_in(browser, live_server, superuser, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/kb/article/{article.pk}/change/")
    tablist = page.locator("[role=tablist]").first
    tabs = tablist.locator("[role=tab]")
    assert tabs.count() == 2

    def state():
        return page.evaluate(
            """(list) => [...list.querySelectorAll("[role=tab]")].map(tab => {
                const panel = document.getElementById(tab.getAttribute("aria-controls"));
                return {
                    selected: tab.getAttribute("aria-selected"), tabindex: tab.tabIndex,
                    focused: document.activeElement === tab, panelVisible: !panel.hidden && panel.offsetHeight > 0,
                    labelledBy: panel.getAttribute("aria-labelledby") === tab.id, role: panel.getAttribute("role"),
                };
            })""",
            tablist.element_handle(),
        )

    first = state()
    assert [tab["selected"] for tab in first] == ["true", "false"]
    assert [tab["tabindex"] for tab in first] == [0, -1]  # roving tabindex: one tab stop for the list
    assert all(tab["labelledBy"] and tab["role"] == "tabpanel" for tab in first)
    assert [tab["panelVisible"] for tab in first] == [True, False]
    assert page.locator("textarea[name=body_en]").is_visible()

    tabs.first.focus()
    for key, selected in (("ArrowRight", 1), ("ArrowRight", 0), ("ArrowLeft", 1), ("Home", 0), ("End", 1)):
        page.keyboard.press(key)
        now = state()
        assert [tab["selected"] for tab in now] == [str(i == selected).lower() for i in range(2)], key
        assert [tab["focused"] for tab in now] == [i == selected for i in range(2)], key
        assert [tab["tabindex"] for tab in now] == [0 if i == selected else -1 for i in range(2)], key
        assert [tab["panelVisible"] for tab in now] == [i == selected for i in range(2)], key
    assert page.locator("textarea[name=body_zh_hant]").is_visible()
    assert not page.locator("textarea[name=body_en]").is_visible()
    # The shared slug row is outside the panels, visible whichever language is chosen.
    assert page.locator(".field-slug").is_visible()
    page.context.close()


def test_each_inline_question_has_its_own_tabs_new_ones_too(browser, live_server, starting_content, superuser):
    quiz = Quiz.objects.get(slug="container-stack")
    page = signed_in(browser, live_server, superuser, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/quizzes/quiz/{quiz.pk}/change/")
    forms = page.locator(".inline-related:not(.empty-form)")
    assert forms.count() == quiz.questions.count()
    for index in range(forms.count()):
        assert forms.nth(index).locator("[role=tab]").count() == 2
        assert forms.nth(index).locator("[role=tabpanel]:not([hidden]) textarea[name$=prompt_en]").count() == 1
    page.locator(".inline-group .add-row a").click()
    added = page.locator(".inline-related:not(.empty-form)").last
    added.get_by_role("tab", name="繁體中文").click()
    assert added.locator("textarea[name$=prompt_zh_hant]").is_visible()
    assert not added.locator("textarea[name$=prompt_en]").is_visible()
    assert page.evaluate("new Set([...document.querySelectorAll('[id]')].map(e => e.id)).size") == page.evaluate(
        "document.querySelectorAll('[id]').length"
    )
    page.context.close()


def test_a_wide_code_block_in_the_preview_can_be_reached_by_keyboard(browser, live_server, superuser):
    article = make_article()
    page = signed_in(browser, live_server, superuser, viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/admin/kb/article/{article.pk}/change/")
    body = page.locator("textarea[name=body_en]")
    body.fill("Short:\n\n    ls\n\nWide:\n\n    " + "docker run --rm --volume /srv/data:/data " * 8 + "\n")
    preview = page.locator(".markdown-preview").first
    preview.locator("pre").nth(1).wait_for()
    wide, short = preview.locator("pre").nth(1), preview.locator("pre").first
    expect(page.locator(".markdown-preview pre[tabindex='0']")).to_have_count(1)
    assert wide.get_attribute("tabindex") == "0" and wide.get_attribute("role") == "region"
    assert wide.get_attribute("aria-label") == "Code 1"
    assert short.get_attribute("tabindex") is None
    body.focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Code 1"
    page.context.close()


@pytest.mark.parametrize(("width", "language"), [(390, "zh-hant"), (1280, "en")])
def test_the_instructor_menu_opens_by_keyboard_and_fits_the_screen(
    browser, live_server, starting_content, author, width, language
):
    page = signed_in(browser, live_server, author, viewport={"width": width, "height": 800})
    page.goto(f"{live_server.url}/{language}/articles/container-stack/")
    menu = page.locator(".instructor-menu")
    links = menu.locator("a")
    assert not links.first.is_visible()
    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    assert links.count() == 3 and all(links.nth(i).is_visible() for i in range(3))
    for i in range(3):
        box = links.nth(i).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/admin/"
    page.keyboard.press("Escape")
    assert not links.first.is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    links_href = page.evaluate("[...document.querySelectorAll('.instructor-menu a')].map(a => a.getAttribute('href'))")
    assert links_href == ["/admin/", f"/{language}/authoring/translations/", f"/{language}/authoring/analytics/"]
    page.context.close()


def test_a_wide_code_block_on_an_article_has_a_name_in_the_readers_language(browser, live_server, starting_content):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    for language, name in (("en", "Code 1"), ("zh-hant", "程式碼 1")):
        page.goto(f"{live_server.url}/{language}/articles/container-stack/")
        first = page.locator(".prose pre[tabindex='0']").first
        assert first.get_attribute("role") == "region"
        assert first.get_attribute("aria-label") == name
    context.close()
