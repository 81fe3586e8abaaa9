import re
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from kb.models import Article, Tag, Topic

pytestmark = pytest.mark.django_db

MAINLAND_TERMS = [
    "默認", "服務器", "內存", "集群", "鏡像", "軟件", "網絡", "端口", "視頻", "代碼", "數據庫", "硬盤",
    "主板", "計算機", "信息", "緩存", "接口", "字節", "質量", "文件夾", "芯片", "總線",
]  # fmt: skip
# Characters that only exist in Simplified Chinese and are common in technical writing.
SIMPLIFIED_ONLY = set(
    "这们个为时会来对说过发网络务据库设计软开关进运动显级线执结构连数业与条区间实现样还该种从问题节点"
)


FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z0-9][\w'’./-]*")
COMMENT = re.compile(r"""(^|\s)(#|//).*$|^\s*"//":.*$""")


def prose_length(path):
    """Latin words plus Han characters outside the front matter and the code blocks."""
    body = FENCE.sub("", path.read_text(encoding="utf-8").split("---", 2)[2])
    return len(HAN.findall(body)) + len(LATIN_WORD.findall(HAN.sub(" ", body)))


def code_without_comments(code):
    return [line for line in (COMMENT.sub("", line).rstrip() for line in code.splitlines()) if line]


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def snapshot():
    """Everything an import could change, to prove a failed import changed nothing."""
    return (
        sorted(Topic.objects.values_list("slug", "name_en", "name_zh_hant", "order")),
        sorted(Tag.objects.values_list("slug", "name_en")),
        sorted(Article.objects.values_list("slug", "title_en", "title_zh_hant", "body_en", "status")),
    )


def files(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(Path(root).rglob("*")) if p.is_file()}


@pytest.fixture
def folder(tmp_path, content_dir):
    """A writable copy of the real content folder."""
    target = tmp_path / "content"
    shutil.copytree(content_dir, target)
    return target


class TestStartingContent:
    def test_every_article_is_published_in_both_languages(self, starting_content, content_dir):
        created = starting_content.created
        folders = len([p for p in (content_dir / "articles").iterdir() if p.is_dir()])
        assert (created["topics"], created["tags"], created["articles"]) == (4, Tag.objects.count(), folders)
        assert Article.objects.published().count() == folders >= 16
        for article in Article.objects.all():
            assert article.has_text("en") and article.has_text("zh-hant"), article.slug
            assert article.summary_en and article.summary_zh_hant, article.slug
            assert len(article.toc_en) >= 4 and len(article.toc_en) == len(article.toc_zh_hant), article.slug

    def test_articles_are_long_enough_to_learn_from_in_both_languages(self, content_dir):
        """At least 1,800 English words of prose (code blocks do not count), and Chinese that says as much:
        Han characters plus Latin words, about 1.6 for every English word."""
        short = []
        for folder in sorted(p for p in (content_dir / "articles").iterdir() if p.is_dir()):
            english, chinese = (prose_length(folder / name) for name in ("en.md", "zh-hant.md"))
            if english < 1800 or chinese < 2900:
                short.append((folder.name, english, chinese))
        assert short == []

    def test_code_is_the_same_in_both_languages(self, content_dir):
        """Copying a command gives the same command in either language: only comments are translated.
        ``text`` blocks (output and sketches) may be translated too."""
        for folder in sorted(p for p in (content_dir / "articles").iterdir() if p.is_dir()):
            blocks = [
                [(lang, code_without_comments(code)) for lang, code in FENCE.findall((folder / name).read_text())]
                for name in ("en.md", "zh-hant.md")
            ]
            assert [lang for lang, _code in blocks[0]] == [lang for lang, _code in blocks[1]], folder.name
            for (lang, english), (_lang, chinese) in zip(*blocks, strict=True):
                assert lang == "text" or english == chinese, (folder.name, english, chinese)

    def test_chinese_is_traditional_as_written_in_taiwan(self, content_dir):
        import yaml

        checked = 0
        for path in content_dir.rglob("*"):
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8")
            if path.name == "glossary.yaml":
                # Aliases deliberately hold other spellings people search with (鏡像 finds 映像檔).
                entries = yaml.safe_load(text)
                for entry in entries:
                    entry.pop("aliases", None)
                text = yaml.safe_dump(entries, allow_unicode=True)
            for term in MAINLAND_TERMS:
                assert term not in text, f"{path.name}: {term}"
            assert not SIMPLIFIED_ONLY & set(text), f"{path}: {SIMPLIFIED_ONLY & set(text)}"
            checked += 1
        assert checked >= 22

    def test_a_section_has_the_same_address_in_both_languages(self, starting_content):
        for article in Article.objects.all():
            english = [entry["id"] for entry in article.toc_en]
            assert english and [entry["id"] for entry in article.toc_zh_hant] == english, article.slug
            ids = re.findall(r'<h[2-6] id="([^"]+)"', article.body_html_zh_hant)
            assert ids == re.findall(r'<h[2-6] id="([^"]+)"', article.body_html_en), article.slug

    def test_articles_link_to_each_other(self, starting_content):
        for article in Article.objects.all():
            assert "article:" in article.body_en and "article:" in article.body_zh_hant, article.slug
        html = Article.objects.get(slug="container-stack").body_html_zh_hant
        assert 'href="/zh-hant/articles/' in html


class TestImport:
    def test_second_import_changes_nothing_and_says_so(self, content_dir):
        first = run("import_content", str(content_dir))
        assert "Created: 4 topics" in first
        before = snapshot()
        second = run("import_content", str(content_dir))
        assert second.startswith("Nothing changed")
        assert snapshot() == before

    def test_changed_file_updates_the_existing_article(self, folder):
        run("import_content", str(folder))
        path = folder / "articles" / "terragrunt" / "zh-hant.md"
        path.write_text(path.read_text(encoding="utf-8").replace("updated: 2026-09-25", "updated: 2026-11-01"))
        path.write_text(path.read_text(encoding="utf-8") + "\n補充：新的一段。\n", encoding="utf-8")
        output = run("import_content", str(folder))
        assert "Updated: 0 topics, 0 tags, 1 articles" in output
        article = Article.objects.get(slug="terragrunt")
        assert article.body_zh_hant.endswith("補充：新的一段。")
        assert article.version("en").is_outdated  # the Chinese text is now newer than the English

    def test_removing_a_translation_file_removes_the_translation(self, folder):
        run("import_content", str(folder))
        (folder / "articles" / "terragrunt" / "zh-hant.md").unlink()
        run("import_content", str(folder))
        assert Article.objects.get(slug="terragrunt").version("zh-hant").is_fallback

    @pytest.mark.parametrize(
        ("relative", "change", "message"),
        [
            ("articles/terragrunt/en.md", lambda t: t.replace("---\n", "", 1), "must start with YAML front matter"),
            ("articles/terragrunt/en.md", lambda t: t.replace("title: ", "title: [unclosed ", 1), "not valid YAML"),
            ("articles/terragrunt/en.md", lambda t: re.sub(r"title: .*\n", "", t, count=1), "front matter has no title"),
            ("articles/terragrunt/*.md", lambda t: t.replace("topic: infrastructure-as-code", "topic: nope"), "unknown topic 'nope'"),
            ("articles/terragrunt/zh-hant.md", lambda t: t.replace("status: published", "status: draft"), "status is 'draft' here but 'published' in en.md"),
            ("articles/terragrunt/*.md", lambda t: t.replace("tags: [", "tags: [no-such-tag, "), "unknown tag 'no-such-tag'"),
            ("articles/terragrunt/en.md", lambda t: t.replace("status: published", "status: live"), "status must be one of"),
            ("articles/terragrunt/en.md", lambda t: t.replace("updated: 2026-09-25", "updated: last tuesday"), "updated must be a date"),
            ("articles/terragrunt/en.md", lambda t: t.replace("title:", "titel:"), "unknown key(s): titel"),
            ("articles/terragrunt/en.md", lambda t: t + "\nSee [x](article:missing-article).\n", "links to an unknown article: article:missing-article"),
            ("articles/terragrunt/en.md", lambda t: t + "\x00", "contains a NUL byte"),
            ("articles/terragrunt/en.md", lambda t: t + "\n\n" + "1. " * 700, "nested more than 12 levels"),
            ("articles/terragrunt/en.md", lambda t: t + "\n\n![Plan](plan.en.svg)\n", "shows the image plan.en.svg, which is not in the folder"),
            ("topics.yaml", lambda t: t.replace("order: 1", "order: 3000000000"), "must be a whole number from 0 to 2,147,483,647"),
            ("topics.yaml", lambda t: t.replace("order: 1", "order: first"), "order must be a whole number"),
            ("topics.yaml", lambda t: t.replace("    en: Containers\n", ""), "needs an English text"),
            ("tags.yaml", lambda t: t + "- slug: bad slug!\n  name: {en: Bad}\n", "may only hold letters"),
            ("glossary.yaml", lambda t: t + "- slug: zz-byte\n  term: {en: B, zh-hant: 位元組單位}\n- slug: zz-bit\n  term: {en: b, zh-hant: 位元單位}\n", "'b' reads the same to search as 'B' of 'zz-byte'"),
        ],
    )  # fmt: skip
    def test_malformed_file_names_the_file_and_imports_nothing(self, folder, relative, change, message):
        run("import_content", str(folder))  # an existing database the failed run must leave alone
        before = snapshot()
        (folder / "articles" / "brand-new").mkdir()
        (folder / "articles" / "brand-new" / "en.md").write_text(
            "---\ntitle: New\nsummary: New.\ntopic: containers\nstatus: published\nupdated: 2026-11-01\n---\n\nBody.\n"
        )
        paths = list(folder.glob(relative))
        for path in paths:
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        with pytest.raises(CommandError) as error:
            run("import_content", str(folder))
        text = str(error.value)
        assert text.startswith("Nothing was imported")
        assert any(f"{path.parent.name}/{path.name}: " in text for path in paths)
        assert message in text
        assert snapshot() == before
        assert not Article.objects.filter(slug="brand-new").exists()

    def test_invalid_utf8_is_reported(self, folder):
        (folder / "articles" / "terragrunt" / "en.md").write_bytes(b"---\ntitle: \xff\xfe\n---\n")
        with pytest.raises(CommandError, match=r"en.md: not valid UTF-8"):
            run("import_content", str(folder))
        assert Article.objects.count() == 0

    def test_missing_folder_is_reported(self, tmp_path):
        with pytest.raises(CommandError, match="is not a folder"):
            run("import_content", str(tmp_path / "nowhere"))


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 40" width="100" height="40">'
    '<rect width="90" height="30" fill="#dbeafe"/><text x="5" y="20">北橋</text></svg>'
)


class TestArticleImages:
    """Diagrams kept beside an article: imported after checks, shown as <img>, served, exported back."""

    def add(self, folder, name, data, line=None):
        article = folder / "articles" / "terragrunt"
        (article / name).write_bytes(data.encode() if isinstance(data, str) else data)
        line = line if line is not None else f'![Two modules and the root file]({name} "The include chain")'
        en = article / "en.md"
        en.write_text(en.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")

    def test_an_svg_is_imported_shown_as_a_figure_served_and_exported(self, client, folder, tmp_path):
        self.add(folder, "include-chain.en.svg", SVG)
        run("import_content", str(folder))
        html = client.get("/en/articles/terragrunt/").content.decode()
        src = "/images/articles/terragrunt/include-chain.en.svg"
        assert re.search(
            rf"<figure><a href=\"{src}\"><img alt=\"Two modules and the root file\"[^>]* src=\"{src}\" width=\"100\"",
            html,
        )
        assert "<figcaption>The include chain</figcaption>" in html
        response = client.get(src)
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
        assert "sandbox" in response["Content-Security-Policy"]
        assert client.get(src, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
        run("export_content", str(tmp_path / "out"))
        assert (tmp_path / "out" / "articles" / "terragrunt" / "include-chain.en.svg").read_text() == SVG

    @pytest.mark.parametrize(
        ("name", "data", "message"),
        [
            ("plan.svg", SVG.replace("<rect", '<script>alert(1)</script><rect'), "holds a <script> element"),
            ("plan.svg", SVG.replace("<rect", '<rect onclick="alert(1)"'), "has an event handler (onclick)"),
            ("plan.svg", SVG.replace("<rect", '<use href="https://evil.example/x.svg#a"/><rect'), "links outside itself"),
            ("plan.svg", SVG.replace("<rect", '<foreignObject><p>hi</p></foreignObject><rect'), "holds a <foreignObject>"),
            ("plan.svg", '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]>' + SVG, "declares a DOCTYPE"),
            ("plan.svg", "<html><body>not svg</body></html>", "is not an SVG image"),
            ("plan.svg", "<svg", "is not well-formed XML"),
            ("plan.png", SVG, "is not an image of the kind its name says"),
            ("notes.txt", "just notes", "is not an image"),
            ("Plan.SVG", SVG, "is not an image"),
        ],
    )  # fmt: skip
    def test_files_that_are_not_safe_images_are_refused(self, folder, name, data, message):
        self.add(folder, name, data, line="")
        with pytest.raises(CommandError) as error:
            run("import_content", str(folder))
        assert f"terragrunt/{name}: " in str(error.value) and message in str(error.value)
        assert Article.objects.count() == 0

    def test_a_draft_articles_images_stay_hidden(self, client, folder):
        self.add(folder, "plan.en.svg", SVG)
        for path in (folder / "articles" / "terragrunt").glob("*.md"):
            path.write_text(path.read_text(encoding="utf-8").replace("status: published", "status: draft"))
        run("import_content", str(folder))
        assert client.get("/images/articles/terragrunt/plan.en.svg").status_code == 404

    def test_a_link_out_of_the_content_folder_is_refused(self, folder, tmp_path):
        outside = tmp_path / "elsewhere"
        shutil.copytree(folder / "articles" / "terragrunt", outside)
        (folder / "articles" / "borrowed").symlink_to(outside)
        with pytest.raises(CommandError, match="borrowed: is a link to a place outside the content folder"):
            run("import_content", str(folder))
        (folder / "articles" / "borrowed").unlink()
        (folder / "articles" / "terragrunt" / "en.md").unlink()
        (folder / "articles" / "terragrunt" / "en.md").symlink_to(outside / "en.md")
        with pytest.raises(CommandError, match=r"en\.md: is a link to a place outside the content folder"):
            run("import_content", str(folder))
        assert Article.objects.count() == 0


class TestExport:
    def test_export_import_export_round_trip(self, content_dir, tmp_path):
        run("import_content", str(content_dir))
        first = tmp_path / "first"
        run("export_content", str(first))
        from courses.models import Course
        from quizzes.models import Quiz

        Quiz.objects.all().delete()
        Course.objects.all().delete()
        Article.objects.all().delete()
        Topic.objects.all().delete()
        Tag.objects.all().delete()
        run("import_content", str(first))
        second = tmp_path / "second"
        run("export_content", str(second))
        assert files(first) == files(second)

    def test_export_of_the_starting_content_reproduces_the_files(self, starting_content, content_dir, tmp_path):
        run("export_content", str(tmp_path / "out"))
        assert files(tmp_path / "out") == files(content_dir)

    def test_edits_made_in_the_database_are_exported(self, starting_content, tmp_path):
        article = Article.objects.get(slug="kubeadm-upgrades")
        article.title_zh_hant = "用 kubeadm 升級叢集"
        article.save()
        run("export_content", str(tmp_path))
        text = (tmp_path / "articles" / "kubeadm-upgrades" / "zh-hant.md").read_text(encoding="utf-8")
        assert "title: 用 kubeadm 升級叢集\n" in text
