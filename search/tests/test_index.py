"""The index follows every write: the admin's saves and deletions (articles, tags, topics, courses, lessons), a
restored revision, an import; and it can be rebuilt."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.forms import MultiWidget
from django.urls import reverse
from django.utils import timezone

from courses.models import Course
from courses.tests.factories import make_course
from kb.models import Article
from kb.tests.factories import make_article, make_tag, make_topic
from search.models import Document
from search.query import search

pytestmark = pytest.mark.django_db


def found(text, language="en"):
    return [(hit.kind, hit.url) for hit in search(text, language=language).hits]


def _fields(form, data):
    for name in form.fields:
        value = form[name].value()
        widget = form.fields[name].widget
        if isinstance(widget, MultiWidget):
            for position, part in enumerate(widget.decompress(value)):
                data[f"{form.add_prefix(name)}_{position}"] = "" if part is None else part
        elif isinstance(value, (list, tuple)):
            data[form.add_prefix(name)] = list(value)
        elif value is not None and value is not False:
            data[form.add_prefix(name)] = value


def save_in_admin(client, page, **changes):
    """Post the admin's change form of ``page`` as it stands, with ``changes``."""
    url = reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_change", args=[page.pk])
    form_page = client.get(url)
    data = {}
    _fields(form_page.context["adminform"].form, data)
    for inline in form_page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for form in formset.forms:
            _fields(form, data)
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]


def delete_in_admin(client, page):
    url = reverse(f"admin:{page._meta.app_label}_{page._meta.model_name}_delete", args=[page.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302


def test_drafts_and_scheduled_articles_are_never_found():
    make_article(status=Article.Status.DRAFT, body_en="## A\n\nquokka")
    make_article(published_at=timezone.now() + timedelta(days=1), body_en="## A\n\nquokka")
    assert found("quokka") == []


def test_an_article_edited_unpublished_published_and_deleted_in_the_admin(admin_client):
    article = make_article(body_en="## A\n\nplatypus")
    save_in_admin(admin_client, article, body_en="## A\n\necidna")
    assert found("platypus") == []
    assert found("ecidna") == [("article", article.get_absolute_url())]
    save_in_admin(admin_client, article, status=Article.Status.DRAFT)
    assert found("ecidna") == []
    save_in_admin(admin_client, article, status=Article.Status.PUBLISHED)
    assert len(found("ecidna")) == 1
    delete_in_admin(admin_client, article)
    assert found("ecidna") == []
    assert not Document.objects.exists()


def test_tags_given_renamed_and_deleted_in_the_admin(admin_client):
    article = make_article()
    tag = make_tag(name_en="Storage")
    save_in_admin(admin_client, article, tags=[tag.pk])
    assert len(found("storage")) == 1
    save_in_admin(admin_client, tag, name_en="Persistence")
    assert found("storage") == [] and len(found("persistence")) == 1
    delete_in_admin(admin_client, tag)
    assert found("persistence") == []


def test_a_topic_renamed_in_the_admin_finds_its_articles_and_courses(admin_client):
    topic = make_topic(name_en="Storage")
    make_article(topic=topic)
    make_course(lessons=1, topic=topic)
    save_in_admin(admin_client, topic, name_en="Bilby")
    assert {kind for kind, _url in found("bilby")} == {"article", "course"}


def test_a_course_and_its_lessons_edited_unpublished_and_deleted_in_the_admin(admin_client):
    course = make_course(lessons=2, title_en="Numbat course")
    lesson = course.lessons.first()
    save_in_admin(admin_client, lesson, title_en="Meet the echidna")
    assert found("echidna") == [("course", course.get_absolute_url())]
    save_in_admin(admin_client, course, **{"lessons-1-title_en": "And the quoll"})
    assert found("quoll") == [("course", course.get_absolute_url())]
    delete_in_admin(admin_client, lesson)
    assert found("echidna") == []
    save_in_admin(admin_client, course, status=Course.Status.DRAFT)
    assert found("numbat") == []
    save_in_admin(admin_client, course, status=Course.Status.PUBLISHED)
    assert len(found("numbat")) == 1
    delete_in_admin(admin_client, course)
    assert found("numbat") == [] and not Document.objects.filter(kind="course").exists()


def test_a_restored_revision_is_what_search_finds(admin_client):
    article = make_article(body_en="## A\n\nwombat")
    save_in_admin(admin_client, article, body_en="## A\n\nwallaby")
    admin_client.post(reverse("kb:article-restore", kwargs={"slug": article.slug, "number": 1}))
    assert len(found("wombat")) == 1 and found("wallaby") == []


def test_an_import_leaves_the_index_complete(starting_content):
    assert Document.objects.count() == Article.objects.published().count() + Course.objects.published().count()
    assert found("northbridge")


def test_rebuild_command(capsys):
    make_article(body_en="## A\n\ncassowary")
    Document.objects.all().delete()
    assert found("cassowary") == []
    call_command("rebuild_search_index")
    assert "Indexed 1 pages" in capsys.readouterr().out
    assert len(found("cassowary")) == 1
