"""Reading journeys in a real browser (fixtures in conftest.py)."""

import pytest
from playwright.sync_api import expect

from kb.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_read_an_article_in_both_languages_and_switch(page, live_server, starting_content):
    article = Article.objects.get(slug="container-stack")

    page.goto(f"{live_server.url}/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator(".topic-tile").get_by_role("link", name="Containers").click()
    page.wait_for_url("**/en/topics/containers/")
    page.get_by_role("link", name=article.title_en).click()
    page.wait_for_url("**/en/articles/container-stack/")
    assert page.locator("h1").inner_text() == article.title_en

    page.locator(".language-switcher a").click()
    page.wait_for_url("**/zh-hant/articles/container-stack/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.locator("h1").inner_text() == article.title_zh_hant
    assert page.get_by_role("link", name="跳到主要內容").count() == 1

    first_section = article.toc_zh_hant[0]
    page.locator(".toc a").first.click()
    assert page.evaluate("decodeURIComponent(location.hash)") == f"#{first_section['id']}"
    assert page.locator(f"[id='{first_section['id']}']").is_visible()

    page.locator(".language-switcher a").click()
    page.wait_for_url("**/en/articles/container-stack/*")
    assert page.locator("html").get_attribute("lang") == "en"


def test_home_in_chinese_links_to_every_topic(page, live_server, starting_content):
    page.goto(f"{live_server.url}/zh-hant/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant"
    assert page.locator(".topic-tile").count() == 4
    page.locator(".topic-tile").get_by_role("link", name="硬體與 Linux").click()
    page.wait_for_url("**/zh-hant/topics/hardware-and-linux/")
    assert page.locator(".card").count() == Article.objects.published().filter(topic__slug="hardware-and-linux").count()


def test_keyboard_users_get_a_visible_skip_link(page, live_server, starting_content):
    page.goto(f"{live_server.url}/en/articles/kubeadm-upgrades/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to content"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0


@pytest.mark.parametrize(
    "path", ["/en/", "/zh-hant/articles/kubernetes-nodeport-vs-ingress/", "/en/articles/terragrunt/"]
)
def test_pages_fit_a_phone_screen(browser, live_server, starting_content, path):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    context.close()
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"


def test_search_chinese_from_the_english_interface_and_open_the_result(page, live_server, starting_content):
    page.goto(f"{live_server.url}/en/articles/")
    page.get_by_role("searchbox", name="Search articles and courses").first.fill("北橋")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=*")
    first = page.locator(".result").first
    assert "<mark>北橋</mark>" in first.inner_html()
    first.locator(".result-title a").click()
    page.wait_for_url("**/en/articles/pc-hardware-cpu-and-buses/")
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_language_switcher_keeps_the_section_being_read(page, live_server, starting_content):
    article = Article.objects.get(slug="container-stack")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/en/articles/container-stack/")
    page.wait_for_load_state("networkidle")  # images in place: nothing moves the text any more
    # The section with the most text after its heading, scrolled to just below the top of the window.
    section = page.evaluate(
        """() => {
            const headings = [...document.querySelectorAll('.prose h2[id], .prose h3[id]')];
            const gaps = headings.slice(0, -1).map((h, i) => [headings[i + 1].offsetTop - h.offsetTop, h.id]);
            const id = gaps.sort((a, b) => b[0] - a[0])[0][1];
            window.scrollTo(0, document.getElementById(id).getBoundingClientRect().top + window.scrollY - 40);
            return id;
        }"""
    )
    page.wait_for_function(
        "id => document.querySelector('.language-switcher a').hash === '#' + id", arg=section, timeout=5000
    )
    # The header stays in view on a wide screen; a click from the page does not scroll it first.
    page.locator(".language-switcher a").evaluate("link => link.click()")
    expect(page).to_have_url(f"{live_server.url}/zh-hant/articles/container-stack/#{section}")
    chinese = {entry["id"]: entry["title"] for entry in article.toc_zh_hant}
    heading = page.locator(f"[id='{section}']")
    assert heading.inner_text().startswith(chinese[section])
    expect(heading).to_be_in_viewport()


@pytest.mark.parametrize("width", [1280, 390])
def test_side_by_side_sections_start_level_and_fold_on_a_phone(browser, live_server, starting_content, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/zh-hant/articles/kubeadm-upgrades/side-by-side/")
    rows = page.locator(".parallel-row")
    assert rows.count() == len([e for e in Article.objects.get(slug="kubeadm-upgrades").toc_en if e["level"] == 2]) + 1
    for index in range(rows.count()):
        chinese = rows.nth(index).locator(":scope > .parallel-cell")
        english = rows.nth(index).locator(".parallel-other .parallel-cell")
        assert chinese.get_attribute("lang") == "zh-Hant" and english.get_attribute("lang") == "en"
        if width == 1280:  # each section's first line is level with its translation's
            first = ":scope > *:first-child"
            assert abs(chinese.locator(first).bounding_box()["y"] - english.locator(first).bounding_box()["y"]) < 1
    if width == 390:
        other = rows.nth(1).locator(".parallel-other")
        assert not other.evaluate("details => details.open")
        other.locator("summary").click()
        assert rows.nth(1).locator(".parallel-other .parallel-cell").is_visible()
    context.close()


def test_a_glossary_term_opens_on_keyboard_focus_and_on_a_tap(browser, live_server, starting_content):
    for touch in (False, True):
        context = browser.new_context(viewport={"width": 390 if touch else 1280, "height": 800}, has_touch=touch)
        page = context.new_page()
        page.goto(f"{live_server.url}/zh-hant/articles/container-stack/")
        term = page.locator(".prose .term").first
        tip = page.locator(f"[id='{term.get_attribute('popovertarget')}']")
        expect(tip).to_be_hidden()
        if touch:
            term.tap()
        else:
            page.keyboard.press("Tab")  # a keyboard user: focus then moves onto the term
            term.focus()
        expect(tip).to_be_visible()
        assert term.get_attribute("aria-expanded") == "true"
        assert page.get_by_role("button", name=term.inner_text()).count() >= 1  # a named, reachable control
        assert tip.locator("a").get_attribute("href").startswith("/zh-hant/glossary/")
        page.keyboard.press("Escape")
        expect(tip).to_be_hidden()
        context.close()


def test_code_is_copied_with_a_button_and_slash_finds_the_search_box(browser, live_server, starting_content):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"{live_server.url}/zh-hant/articles/container-stack/")
    block = page.locator(".prose .highlight").first
    button = block.get_by_role("button", name="複製")
    button.click()
    expect(button).to_have_text("已複製")
    expect(page.locator("#announcer")).to_have_text("已複製")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() and copied.strip() == block.locator("code").inner_text().strip()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.matches('.header-search input')")
    # The contents follow the reader: the section in view is the current one.
    heading = page.locator(".prose h2[id]").nth(2)
    heading.evaluate("h => window.scrollTo(0, h.getBoundingClientRect().top + window.scrollY - 40)")
    anchor = heading.get_attribute("id")
    expect(page.locator(f".toc a[href='#{anchor}']")).to_have_attribute("aria-current", "location")
    context.close()
