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


class TestEverydayWords:
    """Terms with ``mark: false`` (``GlossaryTerm.marked``) stay in the glossary and in search but are never
    marked in the text."""

    def test_an_unmarked_term_is_left_alone_in_both_languages(self, glossary):
        GlossaryTerm.objects.create(slug="default", term_en="default", term_zh_hant="預設值", aliases_zh_hant="預設",
                                    definition_en="What you get.", marked=False)  # fmt: skip
        matchers = glossary_marks.matchers()
        english = glossary_marks.mark("<p>The default container runtime.</p>", "en", matchers["en"])
        chinese = glossary_marks.mark("<p>預設的容器。</p>", "zh-hant", matchers["zh-hant"])
        assert marked_terms(english) == [("container-runtime", "container runtime")]
        assert marked_terms(chinese) == [("container", "容器")]

    def test_turning_marking_off_unmarks_every_article_and_search_still_knows_the_word(self, glossary, client):
        article = make_article(body_en="A container is here.", body_zh_hant="這裡有容器。")
        assert marked_terms(Article.objects.get(pk=article.pk).body_html_en)
        GlossaryTerm.objects.filter(slug="container").update(marked=False)
        glossary_marks.refresh_articles()
        stored = Article.objects.get(pk=article.pk)
        assert marked_terms(stored.body_html_en) == marked_terms(stored.body_html_zh_hant) == []
        assert article.title_en in client.get("/en/search/", {"q": "容器"}).content.decode()

    def test_the_starting_content_does_not_mark_everyday_words(self, starting_content):
        unmarked = set(GlossaryTerm.objects.filter(marked=False).values_list("slug", flat=True))
        assert {"default", "environment", "server", "traffic"} <= unmarked
        marks = [slug for article in Article.objects.all() for body in (article.body_html_en, article.body_html_zh_hant)
                 for slug, _shown in marked_terms(body)]  # fmt: skip
        assert marks and not unmarked & set(marks)
        assert "kubelet" in marks

    @pytest.mark.parametrize(
        ("value", "problem"), [("false", None), ("true", None), ("'no'", "mark must be true or false")]
    )
    def test_the_glossary_file_sets_it(self, tmp_path, content_dir, value, problem):
        from django.core.management import CommandError, call_command

        folder = tmp_path / "content"
        folder.mkdir()
        (folder / "glossary.yaml").write_text(
            f"- slug: default\n  term: {{en: default, zh-hant: 預設值}}\n  mark: {value}\n  articles: []\n",
            encoding="utf-8",
        )
        if problem:
            with pytest.raises(CommandError, match=problem):
                call_command("import_content", str(folder))
            return
        call_command("import_content", str(folder))
        assert GlossaryTerm.objects.get(slug="default").marked is (value == "true")
        call_command("export_content", str(tmp_path / "out"))
        exported = (tmp_path / "out" / "glossary.yaml").read_text(encoding="utf-8")
        assert ("mark: false" in exported) is (value == "false")
