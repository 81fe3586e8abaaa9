"""Reading journeys in a real browser (fixtures in conftest.py)."""

import pytest

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
