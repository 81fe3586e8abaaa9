import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from courses.tests.factories import make_course
from kb.markup import render_markdown
from kb.models import Article, ArticleRevision
from kb.services import article_save
from kb.tests.factories import make_article
from kb.translation_status import CURRENT, MISSING, OUTDATED
from quizzes.tests.factories import make_quiz

pytestmark = pytest.mark.django_db


def make_instructor(django_user_model, name="teacher"):
    user = django_user_model.objects.create_user(name, password="x")
    user.groups.add(Group.objects.get(name="Instructors"))
    return user


def admin_data(article, **changes):
    """The admin change form of ``article`` as a browser would post it back."""
    data = {
        "slug": article.slug,
        "topic": article.topic_id,
        "status": article.status,
        "published_at_0": timezone.localtime(article.published_at).strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": timezone.localtime(article.published_at).strftime("%H:%M:%S") if article.published_at else "",
        "loaded_revision": article.revision,
    }
    for name in ("title", "summary", "body"):
        for code in ("en", "zh_hant"):
            data[f"{name}_{code}"] = getattr(article, f"{name}_{code}") or ""
    return {**data, **changes}


def change_url(article):
    return f"/admin/kb/article/{article.pk}/change/"


class TestRevisions:
    def test_every_save_keeps_a_revision_with_both_languages(self, client, instructor):
        article = make_article(body_en="## A\n\nFirst.", body_zh_hant="## 甲\n\n第一版。")
        client.force_login(instructor)
        response = client.post(change_url(article), admin_data(article, body_zh_hant="## 甲\n\n第二版。"))
        assert response.status_code == 302
        revisions = list(ArticleRevision.objects.filter(article=article).order_by("number"))
        assert [r.number for r in revisions] == [1, 2]
        assert revisions[1].author == instructor
        assert revisions[1].text("body", "zh-hant") == "## 甲\n\n第二版。"
        assert revisions[1].text("body", "en") == "## A\n\nFirst."

    def test_history_compares_any_two_revisions_per_language(self, client, instructor):
        article = make_article(body_en="## A\n\none\ntwo")
        article.body_en = "## A\n\none\nthree"
        article_save(article=article, editor=instructor)
        client.force_login(instructor)
        html = client.get(f"/zh-hant/articles/{article.slug}/history/?a=1&b=2").content.decode()
        assert '<span class="diff-removed">− two</span>' in html
        assert '<span class="diff-added">+ three</span>' in html
        assert "body · en" in html

    def test_what_happened_reads_in_the_readers_language_whatever_the_admins(self, client, instructor):
        article = make_article()
        client.force_login(instructor)
        response = client.post(
            change_url(article), admin_data(article, body_en="## A\n\nchanged"), HTTP_ACCEPT_LANGUAGE="zh-hant"
        )
        assert response.status_code == 302
        assert article.revisions.first().event == ArticleRevision.Event.EDITED
        english = client.get(f"/en/articles/{article.slug}/history/").content.decode()
        chinese = client.get(f"/zh-hant/articles/{article.slug}/history/").content.decode()
        assert "Edited in the admin" in english and "在管理介面編輯" not in english
        assert "在管理介面編輯" in chinese and "Edited in the admin" not in chinese

    def test_restore_is_a_new_revision(self, client, instructor):
        article = make_article(body_en="## A\n\noriginal")
        article.body_en = "## A\n\nvandalised"
        article_save(article=article, editor=instructor)
        client.force_login(instructor)
        response = client.post(f"/en/articles/{article.slug}/history/1/restore/", follow=True)
        assert "Revision 1 is restored as revision 3." in response.content.decode()
        article.refresh_from_db()
        assert article.body_en == "## A\n\noriginal"
        assert article.revision == 3
        restored = ArticleRevision.objects.get(article=article, number=3)
        assert (restored.event, restored.restored_from) == (ArticleRevision.Event.RESTORED, 1)
        assert "Restored revision 1" in client.get(f"/en/articles/{article.slug}/history/").content.decode()

    def test_bad_revision_numbers_are_explained(self, client, instructor):
        article = make_article()
        client.force_login(instructor)
        response = client.get(f"/en/articles/{article.slug}/history/?a=zzz&b=9")
        assert response.status_code == 200
        assert "Choose two revisions" in response.content.decode()
        assert client.post(f"/en/articles/{article.slug}/history/99/restore/").status_code == 404


class TestConflicts:
    def test_a_stale_save_is_refused_with_a_diff_and_nothing_is_lost(self, django_user_model):
        article = make_article(body_en="## A\n\nshared line\nend")
        alice, bob = make_instructor(django_user_model, "alice"), make_instructor(django_user_model, "bob")
        first, second = Client(), Client()
        first.force_login(alice)
        second.force_login(bob)
        form_for_alice = admin_data(article)  # both open the form at revision 1
        form_for_bob = admin_data(article)

        saved = first.post(change_url(article), {**form_for_alice, "body_en": "## A\n\nshared line\nalice"})
        assert saved.status_code == 302

        stale = second.post(change_url(article), {**form_for_bob, "body_en": "## A\n\nshared line\nbob"})
        assert stale.status_code == 200
        html = stale.content.decode()
        assert "alice saved this article (revision 2) after you opened it. Nothing was saved" in html
        assert '<span class="diff-removed">− alice</span>' in html
        assert '<span class="diff-added">+ bob</span>' in html
        assert "shared line\nbob</textarea>" in html  # bob's text is still in the form
        assert 'name="loaded_revision" value="2"' in html
        article.refresh_from_db()
        assert article.body_en.endswith("alice")

        merged = second.post(
            change_url(article), {**form_for_bob, "loaded_revision": 2, "body_en": "## A\n\nshared line\nalice\nbob"}
        )
        assert merged.status_code == 302
        article.refresh_from_db()
        assert article.body_en.endswith("alice\nbob")
        assert article.revision == 3


class TestPreview:
    @pytest.mark.parametrize("text", ["## 北橋\n\n**bold**", "<script>alert(1)</script>[x](javascript:alert(1))"])
    def test_renders_exactly_like_the_public_page(self, client, instructor, text):
        client.force_login(instructor)
        response = client.post("/en/markdown-preview/", {"text": text, "language": "zh-hant"})
        assert response.json()["html"] == render_markdown(text, language="zh-hant").html
        assert "<script" not in response.json()["html"]

    def test_an_articles_preview_shows_its_own_images(self, client, instructor):
        article = make_article()
        client.force_login(instructor)
        text = "![A plan](plan.svg)"
        html = client.post("/en/markdown-preview/", {"text": text, "language": "en", "article": article.slug})
        assert f'src="/images/articles/{article.slug}/plan.svg"' in html.json()["html"]
        unknown = client.post("/en/markdown-preview/", {"text": text, "language": "en", "article": "no/such slug"})
        assert 'src="plan.svg"' in unknown.json()["html"]

    def test_needs_csrf(self, instructor):
        client = Client(enforce_csrf_checks=True)
        client.force_login(instructor)
        assert client.post("/en/markdown-preview/", {"text": "x", "language": "en"}).status_code == 403

    def test_bad_input(self, client, instructor):
        client.force_login(instructor)
        assert client.post("/en/markdown-preview/", {"text": "x", "language": "fr"}).status_code == 400
        assert client.post("/en/markdown-preview/", {"text": "a\x00b", "language": "en"}).status_code == 400
        assert client.get("/en/markdown-preview/").status_code == 405
        refused = client.post("/en/markdown-preview/", {"text": "[" * 20_000, "language": "en"})
        assert refused.status_code == 400 and "too many “[”" in refused.json()["error"]

    def test_the_admin_refuses_what_the_renderer_cannot_take(self, client, instructor):
        article = make_article()
        client.force_login(instructor)
        response = client.post(change_url(article), admin_data(article, body_en="1. " * 700))
        assert response.status_code == 200
        assert "nested more than 12 levels" in response.content.decode()
        assert Article.objects.get(pk=article.pk).revision == article.revision


class TestPermissions:
    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("post", "/en/markdown-preview/"),
            ("get", "/en/authoring/translations/"),
            ("get", "/en/articles/{slug}/history/"),
            ("post", "/en/articles/{slug}/history/1/restore/"),
        ],
    )
    def test_only_authors_get_in(self, client, learner, staff_only, instructor, method, path):
        """Learners and staff who are not instructors get 403; visitors are sent to log in."""
        article = make_article()
        url = path.format(slug=article.slug)
        assert getattr(client, method)(url).status_code == 302
        for user in (learner, staff_only):
            client.force_login(user)
            assert getattr(client, method)(url, {"text": "x", "language": "en"}).status_code == 403
        assert Article.objects.get(pk=article.pk).revision == 1
        client.force_login(instructor)
        assert getattr(client, method)(url, {"text": "x", "language": "en"}).status_code in {200, 302}

    @pytest.mark.parametrize("kind", ["article", "course", "quiz"])
    def test_staff_who_are_not_instructors_see_no_drafts(self, client, staff_only, instructor, kind):
        draft = {
            "article": lambda: make_article(status="draft"),
            "course": lambda: make_course(status="draft"),
            "quiz": lambda: make_quiz(status="draft"),
        }[kind]()
        client.force_login(staff_only)
        assert client.get(draft.get_absolute_url()).status_code == 404
        client.force_login(instructor)
        assert client.get(draft.get_absolute_url()).status_code == 200


class TestScheduling:
    def test_a_scheduled_article_appears_on_its_own(self, client):
        article = make_article(published_at=timezone.now() + timedelta(hours=2))
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.slug not in client.get("/en/articles/").content.decode()
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
        assert client.get(article.get_absolute_url()).status_code == 200
        assert article.slug in client.get("/en/feed/").content.decode()

    def test_admin_shows_the_state(self, client, instructor):
        make_article(title_en="Later", published_at=timezone.now() + timedelta(days=1))
        make_article(title_en="Sketch", status=Article.Status.DRAFT)
        client.force_login(instructor)
        html = client.get("/admin/kb/article/").content.decode()
        assert "Scheduled for" in html and "state-draft" in html


class TestTranslationStatus:
    def test_transitions(self):
        article = make_article(languages=("en",))
        assert article.translation_status("zh-hant") == MISSING
        article.title_zh_hant, article.body_zh_hant = "標題", "## 甲\n\n內容"
        article.save()
        assert article.translation_status("zh-hant") == CURRENT
        article.body_en += "\nMore."
        article.save()
        assert article.translation_status("zh-hant") == OUTDATED
        assert article.translation_status("en") == CURRENT
        article.body_zh_hant += "\n補上。"
        article.save()
        assert article.translation_status("zh-hant") == CURRENT

    def test_an_english_only_edit_in_the_admin_marks_the_chinese_out_of_date(self, client, instructor):
        """The admin's form posts the stamps back to the second: that must not read as the editor setting them."""
        article = make_article()
        client.force_login(instructor)

        def post(**changes):
            article.refresh_from_db()
            stamps = {}
            for code in ("en", "zh_hant"):
                edited = timezone.localtime(getattr(article, f"edited_at_{code}"))
                stamps |= {
                    f"edited_at_{code}_0": edited.strftime("%Y-%m-%d"),
                    f"edited_at_{code}_1": edited.strftime("%H:%M:%S"),
                }
            response = client.post(change_url(article), {**admin_data(article), **stamps, **changes, "_continue": "1"})
            assert response.status_code == 302

        post(body_en="## A\n\nBoth edited.", body_zh_hant="## 甲\n\n兩種語言都改了。")
        post(body_en="## A\n\nOnly English changed.")
        article.refresh_from_db()
        assert article.translation_status("zh-hant") == OUTDATED
        assert article.translation_status("en") == CURRENT

    def test_courses_lessons_and_quizzes_track_it_too(self):
        course = make_course(lessons=1)
        lesson = course.lessons.get()
        quiz = make_quiz()
        for item in (course, lesson, quiz):
            item.refresh_from_db()
            assert item.translation_status("zh-hant") == CURRENT
            item.title_en += " (new)"
            item.save()
            assert item.translation_status("zh-hant") == OUTDATED, item

    def test_dashboard_lists_what_needs_translating(self, client, instructor):
        untranslated = make_article(languages=("en",), title_en="Needs Chinese")
        stale = make_article(title_en="Stale Chinese")
        stale.body_en += "\nNew paragraph."
        stale.save()
        done = make_article(title_en="All good")
        client.force_login(instructor)
        html = client.get("/zh-hant/authoring/translations/").content.decode()
        assert "Needs Chinese" in html and "Stale Chinese" in html and "All good" not in html
        assert f"/admin/kb/article/{untranslated.pk}/change/" in html
        assert "繁體中文: 尚未翻譯" in html and "繁體中文: 可能已過時" in html
        assert done.slug

    def test_admin_filter_and_column(self, client, instructor):
        make_article(languages=("en",), title_en="Only English")
        make_article(title_en="Both")
        client.force_login(instructor)
        html = client.get("/admin/kb/article/?translation_zh_hant=missing").content.decode()
        assert "Only English" in html and ">Both<" not in html
        assert "translation-missing" in html

    def test_readers_see_the_same_status(self, client):
        article = make_article()
        article.body_en += "\nNew."
        article.save()
        assert "這篇譯文可能已經過時" in client.get(f"/zh-hant/articles/{article.slug}/").content.decode()


class TestBadInput:
    @pytest.mark.parametrize(
        ("title", "expected"), [("北橋與南橋", "北橋與南橋"), ("🐳🐳", "spouting-whale-spouting-whale")]
    )
    def test_readable_unique_slugs_from_any_title(self, client, instructor, title, expected):
        topic = make_article().topic
        client.force_login(instructor)
        data = {
            "title_en": title, "slug": "", "topic": topic.pk, "status": "draft", "loaded_revision": "",
            "summary_en": "", "body_en": "## A\n\nText.", "title_zh_hant": "", "summary_zh_hant": "", "body_zh_hant": "",
            "published_at_0": "", "published_at_1": "",
        }  # fmt: skip
        assert client.post("/admin/kb/article/add/", data).status_code == 302
        assert client.post("/admin/kb/article/add/", data).status_code == 302
        slugs = set(Article.objects.filter(title_en=title).values_list("slug", flat=True))
        assert slugs == {expected, f"{expected}-2"}
        assert client.get(f"/en/articles/{expected}/").status_code == 200  # staff see drafts

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [("title_en", "x" * 10_000, "at most 200 characters"), ("title_en", "bad\x00title", "Null characters")],
    )
    def test_oversized_or_nul_input_is_a_form_error(self, client, instructor, field, value, message):
        article = make_article()
        client.force_login(instructor)
        response = client.post(change_url(article), admin_data(article, **{field: value}))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert Article.objects.get(pk=article.pk).revision == 1

    def test_saving_warns_about_questions_that_lose_their_section(self, client, instructor):
        quiz = make_quiz()
        article = quiz.article
        client.force_login(instructor)
        response = client.post(
            change_url(article),
            admin_data(
                article, body_en="## Renamed heading\n\nText.", body_zh_hant="## 北橋\n\n快。\n\n## 南橋\n\n慢。"
            ),
            follow=True,
        )
        html = response.content.decode()
        assert re.search(r"cites section #northbridge \(en\), which this article no longer has", html)
        assert "#北橋 (zh-hant)" not in html

    def test_deleting_an_article_used_by_questions_lists_them(self, client, django_user_model):
        quiz = make_quiz()
        root = django_user_model.objects.create_superuser("root", password="x")
        client.force_login(root)
        html = client.post(f"/admin/kb/article/{quiz.article_id}/delete/", {"post": "yes"}).content.decode()
        assert "protected related objects" in html
        assert f"{quiz.slug}: q1" in html
        assert Article.objects.filter(pk=quiz.article_id).exists()
