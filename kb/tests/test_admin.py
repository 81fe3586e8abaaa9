import pytest

from kb.models import Article
from kb.tests.factories import make_article

pytestmark = pytest.mark.django_db


def test_instructor_edits_an_article_in_both_languages(client, instructor):
    article = make_article()
    client.force_login(instructor)
    page = client.get(f"/admin/kb/article/{article.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title_en"' in html and 'name="title_zh_hant"' in html
    assert 'name="body_zh_hant"' in html


def test_instructor_cannot_delete_content(client, instructor):
    article = make_article()
    client.force_login(instructor)
    assert client.get(f"/admin/kb/article/{article.pk}/delete/").status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_learners_have_no_admin(client, learner):
    client.force_login(learner)
    response = client.get("/admin/kb/article/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_saving_through_the_admin_renders_the_new_text(client, instructor):
    article = make_article()
    client.force_login(instructor)
    data = {
        "slug": article.slug,
        "topic": article.topic_id,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "title_en": article.title_en,
        "title_zh_hant": "更新後的標題",
        "summary_en": article.summary_en,
        "summary_zh_hant": article.summary_zh_hant,
        "body_en": article.body_en,
        "body_zh_hant": "## 新的一節\n\n內容。",
    }
    response = client.post(f"/admin/kb/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title_zh_hant == "更新後的標題"
    # The Chinese heading takes the id of the English one it lines up with.
    assert '<h2 id="first-section"><span class="anchor-alias" id="新的一節"></span>新的一節</h2>' in (
        article.body_html_zh_hant
    )
