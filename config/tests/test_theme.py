"""Light, dark or automatic colours: the reader's choice is kept in a cookie and rendered by the server (no
flash of the other colours, no inline script), works without JavaScript and switches at once with it."""

import re

import pytest

from kb.tests.factories import make_article

LIGHT_BACKGROUND = "rgb(251, 251, 250)"
DARK_BACKGROUND = "rgb(17, 20, 24)"


def _head(client, path="/en/", theme=None):
    if theme is not None:
        client.cookies["theme"] = theme
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    pressed = re.findall(r'name="theme" value="(\w+)" aria-pressed="true"', html)
    return {
        "data_theme": re.search(r"<html[^>]*?(?: data-theme=\"(\w+)\")?>", html).group(1),
        "color_scheme": re.search(r'<meta name="color-scheme" content="([^"]+)">', html).group(1),
        "dark_media": set(re.findall(r'<link rel="stylesheet" href="[^"]+" media="([^"]+)" data-dark>', html)),
        "pressed": pressed,
    }


@pytest.mark.django_db
class TestTheChoiceIsRendered:
    def test_without_a_choice_the_system_decides(self, client):
        assert _head(client) == {
            "data_theme": None,
            "color_scheme": "light dark",
            "dark_media": {"(prefers-color-scheme: dark)"},
            "pressed": ["auto"],
        }

    @pytest.mark.parametrize(("theme", "media"), [("light", "not all"), ("dark", "all")])
    def test_a_choice_is_on_the_page_before_anything_runs(self, client, theme, media):
        assert _head(client, "/zh-hant/", theme) == {
            "data_theme": theme,
            "color_scheme": theme,
            "dark_media": {media},
            "pressed": [theme],
        }

    @pytest.mark.parametrize("garbage", ["purple", "", "dark;", "DARK", '"><script>'])
    def test_a_cookie_of_anything_else_means_automatic(self, client, garbage):
        head = _head(client, "/en/articles/", garbage)
        assert head["data_theme"] is None and head["pressed"] == ["auto"]

    def test_the_control_is_named_in_both_languages(self, client):
        english = client.get("/en/").content.decode()
        chinese = client.get("/zh-hant/").content.decode()
        assert 'role="group" aria-label="Colours"' in english and "Dark colours" in english
        assert 'role="group" aria-label="配色"' in chinese and "深色" in chinese


@pytest.mark.django_db
class TestTheSettingView:
    def test_a_choice_is_remembered_for_a_year_and_the_reader_sent_back(self, client):
        response = client.get("/en/theme/", {"theme": "dark", "next": "/en/articles/?page=2"})
        assert response.status_code == 302 and response["Location"] == "/en/articles/?page=2"
        cookie = response.cookies["theme"]
        assert cookie.value == "dark" and cookie["max-age"] == 365 * 24 * 60 * 60 and cookie["samesite"] == "Lax"
        assert _head(client)["data_theme"] == "dark"

    @pytest.mark.parametrize("value", ["auto", "", "sepia"])
    def test_automatic_or_anything_else_forgets_the_choice(self, client, value):
        client.cookies["theme"] = "light"
        response = client.get("/zh-hant/theme/", {"theme": value, "next": "/zh-hant/"})
        assert response.status_code == 302 and response.cookies["theme"].value == ""
        assert _head(client, "/zh-hant/")["data_theme"] is None

    @pytest.mark.parametrize("target", ["https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"])
    def test_it_never_sends_the_reader_off_the_site(self, client, target):
        response = client.get("/en/theme/", {"theme": "light", "next": target})
        assert response["Location"] == "/en/"

    def test_it_only_answers_get(self, client):
        assert client.post("/en/theme/", {"theme": "dark"}).status_code == 405


def test_the_dark_colours_are_written_once(settings):
    css = settings.BASE_DIR / "static" / "css"
    assert "prefers-color-scheme" not in (css / "site.css").read_text()
    assert "prefers-color-scheme" not in (css / "pygments.css").read_text()
    assert "--bg:" in (css / "dark.css").read_text() and ".highlight .k " in (css / "pygments-dark.css").read_text()


# In a browser: the choice wins over the system's, and the buttons work with and without JavaScript.


def _context(browser, live_server, scheme, theme=None, javascript=True):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme,
                                  java_script_enabled=javascript)  # fmt: skip
    if theme is not None:
        host = live_server.url.split("//", 1)[1].split(":")[0]
        context.add_cookies([{"name": "theme", "value": theme, "domain": host, "path": "/"}])
    return context


def _background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def _code_colour(page):
    return page.evaluate("getComputedStyle(document.querySelector('.highlight')).backgroundColor")


@pytest.mark.parametrize(
    ("scheme", "theme", "expected"),
    [
        ("light", None, LIGHT_BACKGROUND),
        ("dark", None, DARK_BACKGROUND),
        ("dark", "light", LIGHT_BACKGROUND),
        ("light", "dark", DARK_BACKGROUND),
        ("dark", "nonsense", DARK_BACKGROUND),
    ],
)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_readers_choice_wins_over_the_system(browser, live_server, scheme, theme, expected):
    article = make_article(body_en="## Code\n\n```python\nprint('hi')\n```\n")
    context = _context(browser, live_server, scheme, theme)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/articles/{article.slug}/")
    assert _background(page) == expected
    # Highlighted code follows the page: github-dark's background on a dark page, none of it on a light one.
    assert (_code_colour(page) == "rgb(13, 17, 23)") == (expected == DARK_BACKGROUND)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_with_javascript_the_colours_switch_at_once_and_are_remembered(browser, live_server):
    article = make_article()
    context = _context(browser, live_server, "light")
    page = context.new_page()
    url = f"{live_server.url}/en/articles/{article.slug}/"
    page.goto(url)
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Dark colours").click()
    assert _background(page) == DARK_BACKGROUND
    assert page.evaluate("window.notReloaded") is True and page.url == url
    assert page.get_by_role("button", name="Dark colours").get_attribute("aria-pressed") == "true"
    assert (
        page.get_by_role("button", name="Automatic colours, as your device is set").get_attribute("aria-pressed")
        == "false"
    )
    assert {c["name"]: c["value"] for c in context.cookies()}["theme"] == "dark"
    page.goto(f"{live_server.url}/zh-hant/")  # the next page comes from the server already dark
    assert page.locator("html").get_attribute("data-theme") == "dark" and _background(page) == DARK_BACKGROUND
    page.get_by_role("button", name="自動配色（依裝置設定）").focus()
    page.keyboard.press("Enter")
    assert _background(page) == LIGHT_BACKGROUND
    assert "theme" not in {c["name"] for c in context.cookies()}
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_button_asks_the_server_and_comes_back(browser, live_server):
    article = make_article()
    context = _context(browser, live_server, "dark", javascript=False)
    page = context.new_page()
    url = f"{live_server.url}/zh-hant/articles/{article.slug}/"
    page.goto(url)
    assert _background(page) == DARK_BACKGROUND
    page.get_by_role("button", name="淺色").click()
    page.wait_for_url(url)
    assert _background(page) == LIGHT_BACKGROUND
    assert page.get_by_role("button", name="淺色").get_attribute("aria-pressed") == "true"
    context.close()
