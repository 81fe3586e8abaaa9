"""What browsers, search engines and feed readers read besides the text: icons, robots, alternates, feeds,
the sitemap, machine-readable dates, canonical addresses and share previews (OpenGraph, Twitter cards)."""

import re
import struct
from html.parser import HTMLParser

import pytest

from courses.tests.factories import make_course
from kb.tests.factories import make_article, make_tag

pytestmark = pytest.mark.django_db


def test_the_icons_browsers_ask_for_answer(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    touch = client.get("/apple-touch-icon.png")
    assert touch.status_code == 200 and b"".join(touch.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"


def test_times_are_valid_html_and_alternates_name_a_default(client):
    article = make_article()
    html = client.get(f"/zh-hant/articles/{article.slug}/").content.decode()
    stamps = re.findall(r'datetime="([^"]+)"', html)
    assert stamps and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp) for stamp in stamps)
    assert f'hreflang="x-default" href="http://testserver/en/articles/{article.slug}/"' in html
    assert 'name="robots"' not in html


@pytest.mark.parametrize("path", ["/en/search/?q=docker", "/en/accounts/login/", "/zh-hant/accounts/signup/"])
def test_pages_only_for_one_visitor_are_not_indexed(client, path):
    assert '<meta name="robots" content="noindex">' in client.get(path).content.decode()


def test_the_feed_names_an_author(client):
    make_article()
    assert "<author><name>InfraLearn</name></author>" in client.get("/en/feed/").content.decode()


def test_the_sitemap_lists_lessons_and_tags(client):
    course = make_course(lessons=2)
    tag = make_tag()
    xml = client.get("/sitemap.xml").content.decode()
    lesson = course.lessons.first()
    assert f"/en/courses/{course.slug}/lessons/{lesson.slug}/" in xml
    assert f"/zh-hant/tags/{tag.slug}/" in xml


def test_a_new_account_is_welcomed_not_welcomed_back(client):
    client.post(
        "/en/accounts/signup/",
        {"username": "newcomer", "email": "n@example.org", "password1": "a-long-pass-phrase-42",
         "password2": "a-long-pass-phrase-42", "preferred_language": "en"},
    )  # fmt: skip
    html = client.get("/en/dashboard/").content.decode()
    assert "Welcome, newcomer." in html and "Welcome back" not in html


class _Head(HTMLParser):
    """The ``<title>``, every ``<meta>`` (by name or property) and every ``<link rel=canonical>`` of a page."""

    def __init__(self, html):
        super().__init__()
        self.title, self.meta, self.canonical, self._in_title = "", {}, [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content"))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"

    def handle_data(self, data):
        if self._in_title:
            self.title += data


SHARED = ["og:site_name", "og:type", "og:title", "og:description", "og:url", "og:locale", "og:image",
          "twitter:card", "description"]  # fmt: skip


@pytest.mark.parametrize("language", ["en", "zh-hant"])
def test_every_page_has_its_own_share_preview_and_canonical_address(client, starting_content, language):
    from config.tests.pages import ANONYMOUS
    from courses.models import Course
    from kb.models import Article

    own_summary = {
        "/articles/container-stack/": Article.objects.get(slug="container-stack").version(language).summary,
        "/courses/operating-kubernetes/": Course.objects.get(slug="operating-kubernetes").in_every_language("summary")[
            language
        ],
    }
    descriptions = {}
    for path in [path for path in ANONYMOUS if path != "/no-such-page/"]:
        response = client.get(f"/{language}{path}")
        assert response.status_code == 200, path
        head = _Head(response.content.decode())
        assert all(len(head.meta.get(name, [])) == 1 for name in SHARED), (path, head.meta)
        meta = {name: values[0] for name, values in head.meta.items()}
        assert head.canonical == [f"http://testserver/{language}{path.split('?')[0]}"], path
        assert meta["og:url"] == head.canonical[0]
        assert head.title == f"{meta['og:title']} · InfraLearn", path
        assert meta["og:description"] and meta["og:description"] == meta["description"], path
        if path in own_summary:
            assert meta["og:description"] == own_summary[path]
        descriptions[path] = meta["og:description"]
        assert meta["og:type"] == ("article" if path == "/articles/container-stack/" else "website"), path
        assert meta["og:locale"] == {"en": "en_US", "zh-hant": "zh_TW"}[language]
        assert head.meta["og:locale:alternate"] == [{"en": "zh_TW", "zh-hant": "en_US"}[language]]
        assert meta["og:image"] == "http://testserver/static/img/share.png"
        assert meta["twitter:card"] == "summary_large_image" and meta["og:site_name"] == "InfraLearn"
    # Pages about one thing describe that thing, not the site.
    site = descriptions["/"]
    for path in ["/articles/", "/articles/container-stack/", "/courses/", "/courses/operating-kubernetes/",
                 "/courses/operating-kubernetes/lessons/know-the-building-blocks/", "/glossary/", "/glossary/c/",
                 "/tags/docker/", "/topics/containers/", "/quizzes/container-stack/"]:  # fmt: skip
        assert descriptions[path] != site, path


def test_the_canonical_address_is_https_behind_https_and_keeps_only_the_page_number(client, starting_content):
    head = _Head(client.get("/en/articles/?page=2&utm_source=x", secure=True).content.decode())
    assert head.canonical == ["https://testserver/en/articles/?page=2"]
    assert head.meta["og:image"] == ["https://testserver/static/img/share.png"]
    assert _Head(client.get("/en/articles/?page=1").content.decode()).canonical == ["http://testserver/en/articles/"]


@pytest.mark.parametrize("path", ["/en/no-such-page/", "//evil.example/phish"])
def test_a_page_not_found_names_no_canonical_address(client, path):
    head = _Head(client.get("/x", PATH_INFO=path).content.decode())
    assert head.canonical == [] and "og:url" not in head.meta and head.meta["og:title"] == ["Page not found"]


def test_the_canonical_address_is_built_on_this_site(rf):
    from kb.context_processors import sharing

    assert sharing(rf.get("/x", PATH_INFO="//evil.example/"))["canonical_url"] == "http://testserver/evil.example/"


def test_the_share_image_is_a_1200_by_630_png(settings):
    data = (settings.BASE_DIR / "static" / "img" / "share.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (1200, 630)


def test_the_sitemap_and_the_pages_name_languages_alike(client):
    article = make_article()
    xml = client.get("/sitemap.xml").content.decode()
    html = client.get(f"/en/articles/{article.slug}/").content.decode()
    english, chinese = (f"http://testserver/{code}/articles/{article.slug}/" for code in ("en", "zh-hant"))
    for document, tag in ((xml, "xhtml:link"), (html, "link")):
        assert f'<{tag} rel="alternate" hreflang="zh-Hant" href="{chinese}"' in document
        assert f'<{tag} rel="alternate" hreflang="x-default" href="{english}"' in document
    assert 'hreflang="zh-hant"' not in xml
