"""Authoring in a real browser: language tabs, live preview, publishing, and a refused stale save."""

import pytest
from django.contrib.auth.models import Group, Permission

from kb.models import Article
from kb.tests.factories import make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Teach-In-Two-Languages-1"


def instructor(django_user_model, name):
    # Browser tests empty the database after each test, data migrations included: make the group again.
    group, _created = Group.objects.get_or_create(name="Instructors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="kb",
            codename__in=["add_article", "change_article", "view_article", "author_content"],
        )
    )
    user = django_user_model.objects.create_user(name, password=PASSWORD)
    user.groups.add(group)
    return user


def log_in(browser, live_server, name):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


def test_instructor_edits_both_languages_with_preview_and_publishes(browser, live_server, django_user_model):
    instructor(django_user_model, "mei")
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    page = log_in(browser, live_server, "mei")
    page.goto(f"{live_server.url}/admin/kb/article/{article.pk}/change/")

    tabs = page.locator(".language-tabs").first
    tabs.get_by_role("tab", name="中文").click()
    chinese = page.locator("textarea[name=body_zh_hant]")
    assert chinese.is_visible()
    assert not page.locator("textarea[name=body_en]").is_visible()
    chinese.fill("## 北橋與南橋\n\n北橋連接 **CPU** 與記憶體。<script>alert(1)</script>")
    preview = chinese.locator("xpath=../div/div[contains(@class, 'markdown-preview')]")
    preview.locator("h2#北橋與南橋").wait_for()
    assert "<strong>CPU</strong>" in preview.inner_html()
    assert "<script" not in preview.inner_html()

    tabs.get_by_role("tab", name="English").click()
    page.locator("textarea[name=body_en]").fill("## Northbridge\n\nLinks the CPU and memory.")
    page.select_option("select[name=status]", "published")
    page.click("input[name=_continue]")
    page.locator(".messagelist .success").wait_for()

    page.goto(f"{live_server.url}/zh-hant/articles/{article.slug}/")
    assert page.locator("h2#northbridge").inner_text().startswith("北橋與南橋")  # one id in both languages
    assert page.locator("[id='北橋與南橋']").count() == 1  # and the Chinese one still arrives
    page.goto(f"{live_server.url}/en/articles/{article.slug}/")
    assert page.locator("h2#northbridge").is_visible()
    page.context.close()


def test_a_second_instructors_stale_save_is_refused_with_the_diff(browser, live_server, django_user_model):
    instructor(django_user_model, "alice")
    instructor(django_user_model, "bob")
    article = make_article(body_en="## A\n\nThe first line.")
    alice = log_in(browser, live_server, "alice")
    bob = log_in(browser, live_server, "bob")
    for page in (alice, bob):
        page.goto(f"{live_server.url}/admin/kb/article/{article.pk}/change/")

    alice.locator("textarea[name=body_en]").fill("## A\n\nAlice's line.")
    alice.click("input[name=_continue]")
    alice.locator(".messagelist .success").wait_for()

    bob.locator("textarea[name=body_en]").fill("## A\n\nBob's line.")
    bob.click("input[name=_continue]")
    conflict = bob.locator(".edit-conflict")
    conflict.wait_for()
    assert "− Alice's line." in conflict.inner_text()
    assert "+ Bob's line." in conflict.inner_text()
    assert (
        "alice saved this article" in bob.locator(".errornote, .errorlist").first.inner_text()
        or "alice saved" in bob.content()
    )
    assert bob.locator("textarea[name=body_en]").input_value() == "## A\n\nBob's line."
    article.refresh_from_db()
    assert article.body_en == "## A\n\nAlice's line."
    for page in (alice, bob):
        page.context.close()
