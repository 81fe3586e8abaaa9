from datetime import timedelta

import pytest
from django.utils import timezone

from kb.models import Article
from kb.tests.factories import make_article, make_topic

pytestmark = pytest.mark.django_db


class TestRenderingOnSave:
    def test_each_language_is_rendered_and_stored(self):
        article = make_article(body_en="## Setup\n\nRun `kubeadm`.", body_zh_hant="## 安裝\n\n執行 `kubeadm`。")
        article.refresh_from_db()
        assert '<h2 id="setup">Setup</h2>' in article.body_html_en
        assert '<h2 id="setup"><span class="anchor-alias" id="安裝"></span>安裝</h2>' in article.body_html_zh_hant
        assert article.toc_en == [{"id": "setup", "title": "Setup", "level": 2}]
        assert article.toc_zh_hant[0]["id"] == "setup"
        assert article.reading_minutes_en == 1

    def test_unsafe_markdown_is_stored_sanitized(self):
        article = make_article(body_en="Hi <script>alert(1)</script> [x](javascript:alert(1))")
        article.refresh_from_db()
        assert "<script" not in article.body_html_en
        assert "javascript:" not in article.body_html_en

    def test_publishing_sets_published_at_once(self):
        article = make_article(status=Article.Status.DRAFT, published_at=None)
        assert article.published_at is None
        article.status = Article.Status.PUBLISHED
        article.save()
        first = article.published_at
        assert first is not None
        article.save()
        assert article.published_at == first


class TestEditedAt:
    def test_editing_one_language_stamps_only_that_language(self):
        article = make_article()
        article = Article.objects.get(pk=article.pk)
        before_en, before_zh = article.edited_at_en, article.edited_at_zh_hant
        article.body_zh_hant += "\n補充一段。"
        article.save()
        article.refresh_from_db()
        assert article.edited_at_en == before_en
        assert article.edited_at_zh_hant > before_zh

    def test_saving_without_text_changes_keeps_the_stamps(self):
        article = Article.objects.get(pk=make_article().pk)
        stamps = (article.edited_at_en, article.edited_at_zh_hant)
        article.status = Article.Status.DRAFT
        article.save()
        article.refresh_from_db()
        assert (article.edited_at_en, article.edited_at_zh_hant) == stamps

    def test_an_explicit_time_is_kept(self):
        article = Article.objects.get(pk=make_article().pk)
        moment = timezone.now() - timedelta(days=30)
        article.body_en = "## Changed\n\nNew text."
        article.edited_at_en = moment
        article.save()
        article.refresh_from_db()
        assert article.edited_at_en == moment


class TestVersions:
    def test_reader_gets_their_language(self):
        article = make_article()
        version = article.version("zh-hant")
        assert version.language == "zh-hant"
        assert version.title == article.title_zh_hant
        assert not version.is_fallback
        assert not version.is_outdated

    def test_missing_translation_falls_back_to_english(self):
        article = make_article(languages=("en",))
        version = article.version("zh-hant")
        assert version.is_fallback
        assert version.language == "en"
        assert version.lang_attr == "en"
        assert version.title == article.title_en
        assert "English body" in version.body_html

    def test_missing_english_falls_back_to_chinese(self):
        article = make_article(languages=("zh-hant",), title_en="Only a title")
        version = article.version("en")
        assert version.is_fallback
        assert version.lang_attr == "zh-Hant"

    def test_translation_older_than_its_source_is_outdated(self):
        now = timezone.now()
        article = make_article(edited_at_en=now, edited_at_zh_hant=now - timedelta(days=3))
        assert article.version("zh-hant").is_outdated
        assert not article.version("en").is_outdated


class TestQueries:
    def test_published_excludes_drafts_and_future_articles(self):
        live = make_article()
        make_article(status=Article.Status.DRAFT)
        make_article(published_at=timezone.now() + timedelta(days=1))
        assert list(Article.objects.published()) == [live]

    def test_neighbours_follow_publication_order_within_the_topic(self):
        topic = make_topic()
        start = timezone.now() - timedelta(days=10)
        first, second, third = (make_article(topic=topic, published_at=start + timedelta(days=i)) for i in range(3))
        make_article(published_at=start + timedelta(days=1, hours=1))  # another topic
        make_article(topic=topic, status=Article.Status.DRAFT)
        assert second.neighbours() == (first, third)
        assert first.neighbours() == (None, second)
        assert third.neighbours() == (second, None)


class TestListingsLeaveBodiesOut:
    def test_versions_are_known_without_loading_the_bodies(self, django_assert_num_queries):
        make_article(languages=("en",), slug="english-only")
        make_article(slug="both")
        with django_assert_num_queries(1) as captured:
            articles = {article.slug: article for article in Article.objects.without_bodies()}
            versions = {slug: article.version("zh-hant") for slug, article in articles.items()}
        assert "body_html_en" not in captured.captured_queries[0]["sql"]
        assert versions["english-only"].is_fallback and versions["english-only"].language == "en"
        assert not versions["both"].is_fallback and versions["both"].title == articles["both"].title_zh_hant

    def test_a_listed_article_still_reads_its_body_when_asked(self):
        make_article(languages=("en",))
        article = Article.objects.without_bodies().get()
        assert "English body" in article.version("zh-hant").body_html

    def test_home_and_article_list_read_no_bodies(self, client, django_assert_max_num_queries):
        for _ in range(3):
            make_article()
        for url in ("/en/", "/en/articles/", "/zh-hant/glossary/"):
            with django_assert_max_num_queries(10) as captured:
                assert client.get(url).status_code == 200
            assert not [query for query in captured.captured_queries if "body_html" in query["sql"]], url
