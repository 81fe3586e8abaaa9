import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import get_script_prefix, set_script_prefix
from django.utils import timezone, translation

from kb import content_version, languages
from kb.feeds import FEED_SIZE
from kb.models import Article
from kb.tests.factories import make_article, make_tag, make_topic

pytestmark = pytest.mark.django_db

LANGS = {"en": "en", "zh-hant": "zh-Hant"}


def public_pages():
    return [
        "/{lang}/",
        "/{lang}/articles/",
        "/{lang}/articles/container-stack/",
        "/{lang}/articles/pc-hardware-cpu-and-buses/",
        "/{lang}/topics/kubernetes/",
        "/{lang}/tags/docker/",
    ]


class TestEveryPageInBothLanguages:
    @pytest.mark.parametrize("lang", LANGS)
    @pytest.mark.parametrize("page", public_pages())
    def test_page(self, client, starting_content, page, lang):
        path = page.format(lang=lang)
        response = client.get(path)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'<html lang="{LANGS[lang]}">' in html
        for code, tag in LANGS.items():
            alternate = f'<link rel="alternate" hreflang="{tag}" href="http://testserver{page.format(lang=code)}">'
            assert alternate in html
        other = "zh-hant" if lang == "en" else "en"
        switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
        assert f'href="{page.format(lang=other)}"' in switcher

    def test_interface_is_translated(self, client, starting_content):
        html = client.get("/zh-hant/").content.decode()
        assert "跳到主要內容" in html
        assert "最新文章" in html
        assert "Newest articles" not in html


class TestLanguageChoice:
    @pytest.mark.parametrize(
        ("accept", "target"),
        [
            ("zh-TW,zh;q=0.9,en;q=0.8", "/zh-hant/"),
            ("zh-HK", "/zh-hant/"),
            ("zh-Hant", "/zh-hant/"),
            ("zh-Hant-TW", "/zh-hant/"),
            ("en-US,en;q=0.9", "/en/"),
            ("fr-FR", "/en/"),
        ],
    )
    def test_root_redirects_by_accept_language(self, client, accept, target):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
        assert response.status_code == 302
        assert response["Location"] == target

    def test_last_language_read_is_remembered(self, client, starting_content):
        client.get("/zh-hant/articles/")
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
        assert response["Location"] == "/zh-hant/"


class TestArticlePage:
    def test_shows_title_toc_body_tags_and_neighbours(self, client, starting_content):
        html = client.get("/zh-hant/articles/kubeadm-upgrades/").content.decode()
        article = Article.objects.get(slug="kubeadm-upgrades")
        assert article.title_zh_hant in html
        assert 'class="toc"' in html
        for entry in article.toc_zh_hant:
            assert f'href="#{entry["id"]}"' in html
        assert 'class="tag"' in html
        assert 'rel="prev"' in html and 'rel="next"' in html
        assert 'data-read-in="en"' in html
        assert "分鐘" in html

    def test_untranslated_article_shows_english_with_notice(self, client):
        article = make_article(languages=("en",), title_en="Only in English")
        html = client.get(f"/zh-hant/articles/{article.slug}/").content.decode()
        assert "這篇文章尚未翻譯，以下顯示英文原文。" in html
        assert '<h1 id="article-title" lang="en">Only in English</h1>' in html
        assert '<div class="prose" lang="en">' in html
        assert 'data-read-in="en"' not in html  # no "read in English" link to the same text

    def test_outdated_translation_shows_notice(self, client):
        now = timezone.now()
        article = make_article(edited_at_en=now, edited_at_zh_hant=now - timedelta(days=2))
        html = client.get(f"/zh-hant/articles/{article.slug}/").content.decode()
        assert "這篇譯文可能已經過時" in html
        english = client.get(f"/en/articles/{article.slug}/").content.decode()
        assert "may be out of date" not in english

    @pytest.mark.parametrize("user", [None, "learner"])
    def test_drafts_are_404_for_everyone_but_staff(self, client, request, user):
        article = make_article(status=Article.Status.DRAFT)
        if user:
            client.force_login(request.getfixturevalue(user))
        assert client.get(f"/en/articles/{article.slug}/").status_code == 404

    def test_instructors_can_preview_drafts(self, client, instructor):
        article = make_article(status=Article.Status.DRAFT)
        client.force_login(instructor)
        response = client.get(f"/en/articles/{article.slug}/")
        assert response.status_code == 200
        assert "Draft: only instructors can see this article" in response.content.decode()

    def test_scheduled_article_is_not_public_yet(self, client):
        article = make_article(published_at=timezone.now() + timedelta(hours=1))
        assert client.get(f"/en/articles/{article.slug}/").status_code == 404

    def test_unknown_article_is_a_translated_404(self, client):
        response = client.get("/zh-hant/articles/no-such-article/")
        assert response.status_code == 404
        assert "找不到這個頁面" in response.content.decode()


class TestLists:
    def test_home_counts_published_articles_per_topic(self, client):
        topic = make_topic(name_en="Storage")
        make_article(topic=topic)
        make_article(topic=topic)
        make_article(topic=topic, status=Article.Status.DRAFT)
        html = client.get("/en/").content.decode()
        assert re.search(r"Storage</a></h3>.*?2 articles", html, re.S)

    def test_article_list_paginates(self, client, settings):
        settings.ARTICLES_PER_PAGE = 2
        articles = [make_article() for _ in range(5)]
        first = client.get("/en/articles/").content.decode()
        assert articles[0].title_en in first and articles[2].title_en not in first
        third = client.get("/en/articles/?page=3").content.decode()
        assert articles[4].title_en in third
        assert "Page 3 of 3" in third
        assert client.get("/en/articles/?page=nonsense").status_code == 200

    def test_tag_page_lists_only_published_articles_with_the_tag(self, client):
        tag = make_tag(name_en="Storage")
        tagged = make_article(tags=[tag])
        draft = make_article(tags=[tag], status=Article.Status.DRAFT)
        other = make_article()
        html = client.get(f"/en/tags/{tag.slug}/").content.decode()
        assert tagged.title_en in html
        assert draft.title_en not in html
        assert other.title_en not in html

    def test_unknown_topic_and_tag_are_404(self, client):
        assert client.get("/en/topics/nope/").status_code == 404
        assert client.get("/en/tags/nope/").status_code == 404


class TestSitemapAndFeeds:
    def test_sitemap_lists_every_published_article_in_both_languages(self, client, starting_content):
        draft = make_article(status=Article.Status.DRAFT)
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        tree = ElementTree.fromstring(response.content)
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
        locations = {url.findtext("s:loc", namespaces=ns): url for url in tree.findall("s:url", ns)}
        for article in Article.objects.published():
            for lang in LANGS:
                url = locations[f"http://testserver/{lang}/articles/{article.slug}/"]
                alternates = {link.get("hreflang") for link in url.findall("x:link", ns)}
                assert {"en", "zh-Hant", "x-default"} <= alternates
        assert not any(draft.slug in location for location in locations)

    @pytest.mark.parametrize(
        ("lang", "title"), [("en", "InfraLearn: newest articles"), ("zh-hant", "InfraLearn：最新文章")]
    )
    def test_atom_feed_per_language(self, client, starting_content, lang, title):
        response = client.get(f"/{lang}/feed/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/atom+xml")
        tree = ElementTree.fromstring(response.content)
        atom = "{http://www.w3.org/2005/Atom}"
        assert tree.findtext(f"{atom}title") == title
        assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == LANGS[lang]
        entries = tree.findall(f"{atom}entry")
        assert len(entries) == min(FEED_SIZE, Article.objects.published().count())
        first = Article.objects.published().first()
        assert entries[0].findtext(f"{atom}title") == first.version(lang).title
        assert entries[0].find(f"{atom}link").get("href").endswith(f"/{lang}/articles/{first.slug}/")


class TestQueryCounts:
    """A page's queries must not grow with the number of articles, tags or topics."""

    PAGES = ["/en/", "/en/articles/", "/zh-hant/topics/{topic}/", "/en/tags/{tag}/", "/zh-hant/articles/{article}/"]

    def build(self, size):
        topics = [make_topic() for _ in range(size)]
        tags = [make_tag() for _ in range(size)]
        articles = [make_article(topic=topics[i % size], tags=tags[: 1 + i % size]) for i in range(size * 3)]
        return {"topic": topics[0].slug, "tag": tags[0].slug, "article": articles[size].slug}

    def count(self, client, path):
        content_version.current()  # the page cache reads it once a second per process, not once per page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("page", PAGES)
    def test_queries_do_not_grow_with_data(self, client, page):
        small = {page: self.count(client, page.format(**self.build(2)))}
        large = {page: self.count(client, page.format(**self.build(8)))}
        assert small == large

    # The article page: the article without its long fields, its body and contents in the reader's language
    # (read only when the fragment cache has not got them), tags, the two neighbours and the quiz.
    @pytest.mark.parametrize(("page", "limit"), list(zip(PAGES, [4, 3, 4, 4, 6], strict=True)))
    def test_pinned_query_counts(self, client, django_assert_max_num_queries, page, limit):
        path = page.format(**self.build(4))
        content_version.current()
        with django_assert_max_num_queries(limit):
            client.get(path)


class TestSwitcherOnMissingPages:
    def test_a_404_page_links_the_same_address_in_the_other_language(self, client):
        html = client.get("/zh-hant/articles/no-such-article/?page=2").content.decode()
        assert 'href="/en/articles/no-such-article/?page=2"' in html


def test_last_updated_is_when_the_shown_text_was_edited(client, starting_content):
    html = client.get("/en/articles/terragrunt/").content.decode()
    assert '<time datetime="2026-09-25T00:00:00+00:00">Sept. 25, 2026</time>' in html


class TestTheSamePageInTheOtherLanguage:
    def test_keeps_the_query_and_leads_a_path_no_page_matches_home(self):
        with translation.override("en"):
            assert languages.url_in("/en/search/?q=北橋&page=2", "zh-hant") == "/zh-hant/search/?q=北橋&page=2"
            assert languages.url_in("/en/articles/missing/", "zh-hant") == "/zh-hant/articles/missing/"
            assert languages.url_in("/en/no-such-page/?page=2", "zh-hant") == "/zh-hant/"
            assert languages.url_in("//evil.example/phish", "zh-hant") == "/zh-hant/"
            assert languages.url_in("https://evil.example/en/", "en") == "/en/"
            assert languages.url_in("/robots.txt", "zh-hant") == "/robots.txt"
        with translation.override("zh-hant"):
            assert languages.url_in("/zh-hant/articles/a-slug/#part", "en") == "/en/articles/a-slug/#part"

    def test_follows_the_language_and_the_script_prefix(self):
        prefix = get_script_prefix()
        with translation.override("en"):
            assert languages.url_in("/en/search/", "zh-hant") == "/zh-hant/search/"
            set_script_prefix("/site/")
            try:
                assert languages.url_in("/en/search/", "zh-hant") == "/site/zh-hant/search/"
            finally:
                set_script_prefix(prefix)
            assert languages.url_in("/en/search/", "zh-hant") == "/zh-hant/search/"

    def test_the_links_of_every_page_lead_to_pages_in_its_language(self, client):
        for lang, other in (("en", "zh-hant"), ("zh-hant", "en"), ("en", "zh-hant")):
            html = client.get(f"/{lang}/search/").content.decode()
            for page in ("", "courses/", "articles/", "glossary/", "feed/", "search/"):
                assert f'href="/{lang}/{page}"' in html or f'action="/{lang}/{page}"' in html
                assert f'href="/{other}/{page}"' not in html or page == "search/"  # the language switcher


class TestReadingInBothLanguages:
    BODIES = {
        "body_en": "Intro.\n\n## First section\n\nOne.\n\n!!! note\n    Inside.\n\n## Second section\n\nTwo.\n",
        "body_zh_hant": "引言。\n\n## 第一節\n\n一。\n\n!!! note\n    裡面。\n\n## 第二節\n\n二。\n",
    }

    def test_every_section_heading_links_to_the_same_section_in_the_other_language(self, client):
        article = make_article(**self.BODIES)
        html = client.get(f"/en/articles/{article.slug}/").content.decode()
        for anchor in ("first-section", "second-section"):
            assert re.search(
                rf'<h2 id="{anchor}">.*?<a class="section-language" href="/zh-hant/articles/{article.slug}/#{anchor}"'
                rf' hreflang="zh-Hant" lang="zh-Hant" data-language="zh-hant">繁體中文</a></h2>',
                html,
            )
        chinese = client.get(f"/zh-hant/articles/{article.slug}/").content.decode()
        assert '<h2 id="first-section"><span class="anchor-alias" id="第一節"></span>第一節' in chinese
        assert f'href="/en/articles/{article.slug}/#first-section"' in chinese

    def test_side_by_side_pairs_each_section_with_its_translation(self, client):
        article = make_article(**self.BODIES)
        html = client.get(f"/zh-hant/articles/{article.slug}/side-by-side/").content.decode()
        rows = re.findall(r'<div class="parallel-row">(.*?)</details>', html, re.DOTALL)
        assert len(rows) == 3  # the introduction and two sections; the note stays inside the first
        assert "引言" in rows[0] and "Intro." in rows[0]
        assert 'id="first-section"' in rows[1] and 'id="en--first-section"' in rows[1] and "裡面" in rows[1]
        assert 'id="second-section"' in rows[2] and 'id="en--second-section"' in rows[2]
        assert f'href="/zh-hant/articles/{article.slug}/side-by-side/"' not in html  # no link to itself
        english = client.get(f"/en/articles/{article.slug}/").content.decode()
        assert f'href="/en/articles/{article.slug}/side-by-side/" data-side-by-side' in english

    def test_side_by_side_of_an_untranslated_article_says_so(self, client):
        article = make_article(languages=("en",))
        html = client.get(f"/zh-hant/articles/{article.slug}/side-by-side/").content.decode()
        assert "parallel-row" not in html and "只有一種語言" in html
        assert "data-side-by-side" not in client.get(f"/en/articles/{article.slug}/").content.decode()

    def test_drafts_have_no_side_by_side_for_readers(self, client):
        article = make_article(status=Article.Status.DRAFT, published_at=None)
        assert client.get(f"/en/articles/{article.slug}/side-by-side/").status_code == 404


def test_every_search_landmark_has_its_own_name(client, starting_content):
    html = client.get("/zh-hant/search/?q=docker").content.decode()
    names = re.findall(r'role="search" aria-label="([^"]+)"', html)
    assert len(names) == html.count('role="search"') == 2 and len(set(names)) == 2
