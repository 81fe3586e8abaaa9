"""Readers' pages from the cache (config.page_cache, kb.content_version): what is shared, what is never
shared, and every change that must make a stored page miss."""

import gzip
import shutil
import time
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from courses.tests.factories import make_course
from kb import content_version
from kb.models import Article, ContentVersion, GlossaryTerm, Tag
from kb.tests.factories import make_article, make_tag, make_topic
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def html(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return response.content.decode()


def page_of(article):
    return f"/en/articles/{article.slug}/"


@pytest.fixture
def article():
    return make_article(title_en="Original title", tags=[make_tag(name_en="Original tag")])


class TestShared:
    def test_a_second_anonymous_reader_gets_the_stored_page_without_a_query(self, client, article):
        path = page_of(article)
        first = client.get(path)
        with CaptureQueriesContext(connection) as captured:
            second = Client().get(path)
        assert len(captured) == 0
        assert second.content == first.content
        assert second["ETag"] == first["ETag"]

    def test_stored_pages_say_how_they_vary_and_ask_browsers_to_check_again(self, client, article):
        for _ in range(2):  # stored, then from the cache
            response = client.get(page_of(article))
            assert {"Cookie", "Accept-Encoding"} <= {v.strip() for v in response["Vary"].split(",")}
            assert response["Cache-Control"] == "no-cache"
            assert response["ETag"].startswith('W/"')
            assert response["Last-Modified"]
            # The middleware above the cache still adds its headers to every answer.
            assert "Content-Security-Policy" in response and "X-Request-ID" in response

    def test_compressed_for_clients_that_accept_it(self, client, article):
        path = page_of(article)
        plain = client.get(path)
        squeezed = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert "Content-Encoding" not in plain
        assert squeezed["Content-Encoding"] == "gzip"
        assert gzip.decompress(squeezed.content) == plain.content
        assert len(squeezed.content) < len(plain.content) / 2

    def test_each_language_and_each_marks_setting_has_its_own_copy(self, client, article):
        english = html(client, page_of(article))
        chinese = html(client, f"/zh-hant/articles/{article.slug}/")
        assert "Original title" in english and '<html lang="zh-Hant">' in chinese
        client.cookies["glossary_marks"] = "off"
        assert "Show glossary hints" in html(client, page_of(article))
        del client.cookies["glossary_marks"]
        assert "Hide glossary hints" in html(client, page_of(article))

    def test_the_query_string_is_part_of_the_address(self, client):
        topic = make_topic()
        for n in range(14):
            make_article(topic=topic, title_en=f"Listed {n:02}")
        first, second = html(client, "/en/articles/"), html(client, "/en/articles/?page=2")
        assert first != second

    def test_head_is_answered_from_the_stored_page(self, client, article):
        client.get(page_of(article))
        response = client.head(page_of(article))
        assert response.status_code == 200 and response["ETag"]


class TestConditionalRequests:
    @pytest.mark.parametrize(
        "path",
        ["/en/articles/{article}/", "/en/articles/", "/en/courses/{course}/", "/en/courses/{course}/lessons/lesson-1/"],
    )
    def test_an_unchanged_page_answers_304(self, client, article, path):
        path = path.format(article=article.slug, course=make_course(lessons=1).slug)
        response = client.get(path)
        assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304

    def test_a_changed_page_answers_200(self, client, article):
        path = page_of(article)
        before = client.get(path)
        article.title_en = "New title"
        article.save()
        after = client.get(path, HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and "New title" in after.content.decode()
        later = http_date(time.time() + 1)  # a Last-Modified after the edit, in a later second
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=http_date(time.time() - 3600)).status_code == 200
        assert client.get(path, HTTP_IF_MODIFIED_SINCE=later).status_code == 304


class TestNeverShared:
    def test_a_signed_in_reader_neither_gets_nor_leaves_a_stored_page(self, client, article):
        reader = get_user_model().objects.create_user("reader-mei", password="x")
        path = page_of(article)
        anonymous = html(client, path)
        signed_in = Client()
        signed_in.force_login(reader)
        page = signed_in.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert "reader-mei" in page.content.decode() and "reader-mei" not in anonymous
        assert "Content-Encoding" not in page  # a page with a CSRF token (the log-out form) is never compressed
        assert "reader-mei" not in html(Client(), path)

    def test_a_page_that_used_a_csrf_token_is_not_stored(self, settings, article):
        settings.PAGE_CACHE_VIEWS = [*settings.PAGE_CACHE_VIEWS, "accounts:login"]
        client = Client()
        first, second = client.get("/en/accounts/login/"), client.get("/en/accounts/login/")
        assert "csrfmiddlewaretoken" in first.content.decode()
        assert "ETag" not in second and first.content != second.content

    def test_pages_not_listed_are_not_stored(self, client, article):
        client.get("/en/search/?q=original")
        Article.objects.filter(pk=article.pk).update(title_en="Changed behind the cache's back")
        assert "Changed behind" in html(client, "/en/search/?q=original")

    def test_a_reader_with_messages_waiting_gets_a_page_of_their_own(self, client, article):
        assert client.get(page_of(article))["ETag"]
        client.cookies["messages"] = "anything"
        response = client.get(page_of(article), HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and "ETag" not in response and "Content-Encoding" not in response

    def test_no_anonymous_page_that_is_stored_holds_a_token_or_sets_a_cookie(self, client, starting_content):
        course = make_course(lessons=1)
        paths = [
            "/en/", "/en/articles/", "/en/articles/container-images/", "/en/articles/container-images/side-by-side/",
            "/en/topics/kubernetes/", "/en/tags/docker/", "/en/feed/", "/en/glossary/", "/en/glossary/c/",
            "/en/courses/", f"/en/courses/{course.slug}/", f"/en/courses/{course.slug}/lessons/lesson-1/",
            f"/en/courses/{course.slug}/lessons/lesson-1/side-by-side/", "/sitemap.xml",
        ]  # fmt: skip
        for path in paths:
            first = client.get(path)
            assert first.status_code == 200, path
            assert "csrfmiddlewaretoken" not in first.content.decode(), path
            assert first.has_header("ETag"), path
            assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304, path

    def test_the_glossary_hints_switch_needs_no_token(self, article):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/en/glossary/marks/", {"show": "off", "next": page_of(article)})
        assert response.status_code == 302 and response.cookies["glossary_marks"].value == "off"


class TestEveryChangeReachesTheStoredPages:
    """Each kind of change a stored page depends on, seen by the next anonymous reader."""

    def test_saving_an_article(self, client, article):
        html(client, page_of(article))
        article.title_en = "Edited title"
        article.save()
        assert "Edited title" in html(client, page_of(article))

    def test_publishing_and_unpublishing(self, client, article):
        draft = make_article(status=Article.Status.DRAFT, published_at=None, title_en="A draft")
        assert "A draft" not in html(client, "/en/articles/")
        draft.status = Article.Status.PUBLISHED
        draft.save()
        assert "A draft" in html(client, "/en/articles/")
        assert client.get(page_of(draft)).status_code == 200
        draft.status = Article.Status.DRAFT
        draft.save()
        assert "A draft" not in html(client, "/en/articles/")
        assert client.get(page_of(draft)).status_code == 404

    def test_a_scheduled_article_appears_when_its_time_comes(self, client, article, monkeypatch):
        soon = timezone.now() + timedelta(hours=1)
        make_article(title_en="Scheduled article", published_at=soon)
        assert "Scheduled article" not in html(client, "/en/articles/")
        assert "Scheduled article" not in html(client, "/en/articles/")  # from the cache
        later = soon + timedelta(seconds=1)
        monkeypatch.setattr(timezone, "now", lambda: later)
        assert "Scheduled article" in html(client, "/en/articles/")

    def test_renaming_a_topic_or_a_tag(self, client, article):
        html(client, page_of(article))
        topic = article.topic
        topic.name_en = "Renamed topic"
        topic.save()
        assert "Renamed topic" in html(client, page_of(article))
        tag = article.tags.get()
        tag.name_en = "Renamed tag"
        tag.save()
        assert "Renamed tag" in html(client, page_of(article))

    def test_tagging_and_deleting_a_tag(self, client, article):
        html(client, page_of(article))
        extra = make_tag(name_en="Added tag")
        article.tags.add(extra)
        assert "Added tag" in html(client, page_of(article))
        Tag.objects.filter(pk=extra.pk).delete()
        assert "Added tag" not in html(client, page_of(article))

    def test_changing_the_glossary(self, client, article):
        html(client, "/en/glossary/")
        GlossaryTerm.objects.create(slug="original", term_en="Original", term_zh_hant="原本", definition_en="Defined.")
        page = html(client, "/en/glossary/")
        assert "Original" in page
        term = GlossaryTerm.objects.get(slug="original")
        term.definition_en = "Defined again."
        term.save()
        assert "Defined again." in html(client, "/en/glossary/o/")

    def test_marking_the_glossary_in_articles_again(self, client, article):
        GlossaryTerm.objects.create(slug="english", term_en="English", term_zh_hant="英文")
        html(client, page_of(article))
        from kb import glossary_marks

        glossary_marks.refresh_articles()  # writes with update(), which sends no signal
        assert 'data-term="english"' in html(client, page_of(article))

    def test_a_quiz_for_the_article(self, client, article):
        html(client, page_of(article))
        make_quiz(article=article, title_en="A new quiz")
        assert "A new quiz" in html(client, page_of(article))

    def test_courses_and_lessons(self, client):
        course = make_course(lessons=1)
        path = f"/en/courses/{course.slug}/"
        html(client, path)
        lesson = course.lessons.get()
        lesson.title_en = "Renamed lesson"
        lesson.save()
        assert "Renamed lesson" in html(client, path)
        course.title_en = "Renamed course"
        course.save()
        assert "Renamed course" in html(client, "/en/courses/")

    def test_importing_content(self, client, tmp_path, content_dir):
        folder = tmp_path / "content"
        shutil.copytree(content_dir, folder)
        call_command("import_content", str(folder), verbosity=0)
        path = "/en/articles/container-images/"
        assert "Imported again" not in html(client, path)
        source = folder / "articles" / "container-images" / "en.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("\n---\n", "\n---\n\nImported again.\n", 1), encoding="utf-8")
        call_command("import_content", str(folder), verbosity=0)
        assert "Imported again" in html(client, path)

    def test_a_change_made_by_another_process(self, client, article, monkeypatch):
        path = page_of(article)
        html(client, path)
        # Another process edits the row and records the change; this one reads the version within a second.
        Article.objects.filter(pk=article.pk).update(title_en="Edited elsewhere")
        ContentVersion.objects.update_or_create(pk=1, defaults={"number": 99, "changed_at": timezone.now()})
        assert "Edited elsewhere" not in html(client, path)
        clock = time.monotonic() + content_version.RECHECK_SECONDS
        monkeypatch.setattr(content_version.time, "monotonic", lambda: clock)
        assert "Edited elsewhere" in html(client, path)


@pytest.mark.django_db(transaction=True)
def test_the_version_is_written_once_the_change_is_committed():
    before = ContentVersion.objects.filter(pk=1).values_list("number", flat=True).first() or 0
    article = make_article()
    after = ContentVersion.objects.get(pk=1)
    assert after.number > before and after.changed_at is not None
    version = content_version.current()
    assert version.key.startswith(f"{after.number}.")  # nothing pending: every process shares these pages
    assert version.changed_at >= article.published_at


class TestFragmentsForSignedInReaders:
    """Signed-in pages are rendered for each request, but their costly parts come from the cache."""

    @pytest.fixture
    def reader(self, django_user_model):
        client = Client()
        client.force_login(django_user_model.objects.create_user("reader-li", password="x"))
        return client

    def test_the_article_body_is_read_once_per_content_version(self, reader, article):
        make_quiz(article=article)
        path = page_of(article)
        first = reader.get(path).content.decode()
        content_version.current()  # read once a second per process, not once per page
        with CaptureQueriesContext(connection) as captured:
            second = reader.get(path).content.decode()
        tables = [query["sql"].split(" FROM ")[1].split()[0] for query in captured]
        assert tables == ['"django_session"', '"auth_user"']  # the article, its body, tags, neighbours, quiz: cached
        assert "reader-li" in second and "Original title" in second and "Test yourself" in second
        assert first.split("<main")[1].split("</main>")[0].count("Original tag") == 1

    def test_a_change_reaches_signed_in_readers_at_once(self, reader, article):
        reader.get(page_of(article))
        article.body_en = "## First section\n\nRewritten body.\n"
        article.save()
        assert "Rewritten body." in reader.get(page_of(article)).content.decode()

    def test_authors_and_readers_and_each_marks_setting_get_their_own_fragment(self, reader, article, instructor):
        author = Client()
        author.force_login(instructor)
        assert "author-tools" in author.get(page_of(article)).content.decode()
        assert "author-tools" not in reader.get(page_of(article)).content.decode()
        reader.cookies["glossary_marks"] = "off"
        assert "Show glossary hints" in reader.get(page_of(article)).content.decode()

    def test_the_glossary_index_is_read_once_per_content_version(self, reader):
        GlossaryTerm.objects.create(slug="pod", term_en="Pod", term_zh_hant="Pod", definition_en="A group.")
        assert 'href="/en/glossary/p/#pod"' in reader.get("/en/glossary/").content.decode()
        content_version.current()
        with CaptureQueriesContext(connection) as captured:
            page = reader.get("/en/glossary/").content.decode()
        assert not any("kb_glossaryterm" in query["sql"] for query in captured)
        assert 'href="/en/glossary/p/#pod"' in page
        GlossaryTerm.objects.create(slug="node", term_en="Node", term_zh_hant="節點")
        assert 'href="/en/glossary/n/#node"' in reader.get("/en/glossary/").content.decode()
