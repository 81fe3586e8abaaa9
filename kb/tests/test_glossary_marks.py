"""Glossary terms marked in the text: first use per section, never in code, links or headings, the popover's
contents and turning the marks off."""

import re

import pytest

from kb import glossary_marks
from kb.models import Article, GlossaryTerm
from kb.tests.factories import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def glossary():
    GlossaryTerm.objects.create(
        slug="container",
        term_en="container",
        term_zh_hant="容器",
        definition_en="A process isolated with namespaces and cgroups.",
        definition_zh_hant="用命名空間與 cgroup 隔離的行程。",
    )
    GlossaryTerm.objects.create(
        slug="container-runtime", term_en="container runtime", term_zh_hant="容器執行環境", definition_en="Runs them."
    )
    GlossaryTerm.objects.create(slug="mbps", term_en="Mbps", term_zh_hant="Mbps", definition_en="Megabits a second.")
    return glossary_marks.matchers()


def marked_terms(body_html):
    return re.findall(r'<button type="button" class="term" [^>]*data-term="([^"]+)">([^<]*)</button>', body_html)


class TestMarking:
    def test_the_first_use_in_each_section_is_marked(self, glossary):
        body = (
            "<p>A container is a process. Another container.</p>"
            '<h2 id="more">More about containers</h2><p>The container again.</p>'
        )
        assert marked_terms(glossary_marks.mark(body, "en", glossary["en"])) == [
            ("container", "container"),
            ("container", "container"),
        ]

    def test_code_links_and_headings_are_left_alone(self, glossary):
        body = '<h2 id="x">container</h2><p><code>container</code> <a href="/">container</a> and a container.</p>'
        marked = glossary_marks.mark(body, "en", glossary["en"])
        assert marked.count('class="term"') == 1 and "and a <button" in marked

    def test_the_longest_spelling_wins_and_case_is_kept_where_it_matters(self, glossary):
        body = "<p>The container runtime, at 100 MBps or 100 Mbps, or mbps.</p>"
        assert marked_terms(glossary_marks.mark(body, "en", glossary["en"])) == [
            ("container-runtime", "container runtime"),
            ("mbps", "Mbps"),
        ]

    def test_chinese_is_found_inside_a_sentence(self, glossary):
        body = "<p>每個容器執行環境都會啟動容器。</p>"
        assert marked_terms(glossary_marks.mark(body, "zh-hant", glossary["zh-hant"])) == [
            ("container-runtime", "容器執行環境"),
            ("container", "容器"),
        ]

    def test_the_popover_gives_the_other_language_a_definition_and_the_glossary(self, glossary):
        marked = glossary_marks.mark("<p>每個容器。</p>", "zh-hant", glossary["zh-hant"])
        button = re.search(r'<button type="button" class="term" popovertarget="([^"]+)"', marked)
        tip = re.search(rf'<span class="term-tip" id="{button.group(1)}" popover role="tooltip">(.*?)</span>', marked)
        assert '<b class="term-other" lang="en">container</b>' in tip.group(1)
        assert "用命名空間與 cgroup 隔離的行程。" in tip.group(1)
        assert '<a href="/zh-hant/glossary/term/container/">看詞彙表</a>' in tip.group(1)

    def test_unmarking_gives_back_the_text(self, glossary):
        body = "<p>A container &amp; a <em>container runtime</em>.</p>"
        marked = glossary_marks.mark(body, "en", glossary["en"])
        assert marked != body and glossary_marks.unmark(marked) == body
        assert glossary_marks.mark(marked, "en", glossary["en"]) == marked  # marking twice changes nothing


class TestArticles:
    def test_saving_an_article_marks_it_and_a_glossary_change_marks_every_article(self, glossary, client):
        article = make_article(body_en="## One\n\nA container.", body_zh_hant="## 一\n\n一個容器。")
        assert marked_terms(article.body_html_en) == [("container", "container")]
        GlossaryTerm.objects.filter(slug="container").delete()
        glossary_marks.refresh_articles()
        article.refresh_from_db()
        assert marked_terms(article.body_html_en) == []

    def test_a_reader_can_turn_the_marks_off_and_on(self, glossary, client):
        article = make_article(body_en="## One\n\nA container.")
        page = f"/en/articles/{article.slug}/"
        assert 'class="term"' in client.get(page).content.decode()
        response = client.post("/en/glossary/marks/", {"show": "off", "next": page})
        assert response.status_code == 302 and response["Location"] == page
        html = client.get(page).content.decode()
        assert 'class="term"' not in html and "A container." in html and "Show glossary hints" in html
        client.post("/en/glossary/marks/", {"show": "on", "next": page})
        assert 'class="term"' in client.get(page).content.decode()

    def test_the_switch_only_goes_back_to_this_site(self, client):
        response = client.post("/en/glossary/marks/", {"show": "off", "next": "https://evil.example/"})
        assert response["Location"] == "/en/"
        assert client.get("/en/glossary/marks/").status_code == 405

    def test_the_starting_content_is_marked_on_import(self, starting_content):
        article = Article.objects.get(slug="container-stack")
        assert ("containerd", "containerd") in marked_terms(article.body_html_en)
        assert ("container", "容器") in marked_terms(article.body_html_zh_hant)
