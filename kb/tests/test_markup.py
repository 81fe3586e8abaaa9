import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from kb import markup
from kb.markup import MarkupError, reading_minutes, render_markdown, validate_markdown


def render(text, language="en"):
    return render_markdown(text, language=language)


class TestHeadingsAndContents:
    def test_chinese_headings_get_readable_anchors(self):
        result = render("## 北橋與南橋\n\n文字\n\n## CPU 的時脈\n", language="zh-hant")
        assert '<h2 id="北橋與南橋">北橋與南橋</h2>' in result.html
        assert 'id="cpu-的時脈"' in result.html
        assert "_1" not in result.html
        assert result.toc == [
            {"id": "北橋與南橋", "title": "北橋與南橋", "level": 2},
            {"id": "cpu-的時脈", "title": "CPU 的時脈", "level": 2},
        ]

    def test_english_anchors_are_stable_slugs(self):
        result = render("## Northbridge and southbridge\n\n### What the FSB did\n")
        assert 'id="northbridge-and-southbridge"' in result.html
        assert [entry["level"] for entry in result.toc] == [2, 3]

    def test_headings_that_line_up_with_the_english_take_its_ids(self):
        english = render("## Northbridge and southbridge\n\n### What the FSB did\n")
        chinese = render_markdown("## 北橋與南橋\n\n### FSB 做什麼\n", language="zh-hant", anchors=english.headings)
        assert [entry["id"] for entry in chinese.toc] == ["northbridge-and-southbridge", "what-the-fsb-did"]
        # The id the Chinese heading had on its own still leads to it.
        assert (
            '<h2 id="northbridge-and-southbridge"><span class="anchor-alias" id="北橋與南橋"></span>北橋與南橋</h2>'
            in chinese.html
        )

    def test_headings_that_do_not_line_up_keep_their_own_ids(self):
        english = render("## One\n\n## Two\n")
        chinese = render_markdown("## 一\n\n### 一之一\n", language="zh-hant", anchors=english.headings)
        assert [entry["id"] for entry in chinese.toc] == ["一", "一之一"]
        assert "anchor-alias" not in chinese.html

    def test_toc_titles_are_plain_text(self):
        result = render("## Bits & bytes: `Mbps` vs MB/s\n")
        assert result.toc[0]["title"] == "Bits & bytes: Mbps vs MB/s"


class TestFeatures:
    @pytest.mark.parametrize(
        ("language", "source", "token"),
        [
            ("bash", "kubectl logs --previous my-pod", "--previous"),
            ("yaml", "apiVersion: v1\nkind: Service", "apiVersion"),
            ("hcl", 'resource "aws_instance" "web" {\n  ami = "ami-123"\n}', "resource"),
            ("terraform", 'terraform {\n  required_version = ">= 1.5"\n}', "required_version"),
            ("dockerfile", "FROM alpine:3.20\nRUN apk add curl", "FROM"),
            ("json", '{"key": [1, 2]}', '"key"'),
        ],
    )
    def test_fenced_code_is_highlighted(self, language, source, token):
        result = render(f"```{language}\n{source}\n```\n")
        assert '<div class="highlight"><pre>' in result.html
        assert re.search(r'<span class="[a-z0-9]+">', result.html), "Pygments should wrap tokens in classed spans"
        text = re.sub(r"<[^>]+>", "", result.html)
        assert token in text.replace("&quot;", '"')

    def test_tables_use_align_attributes_not_styles(self):
        result = render("| Port | Use |\n|:--|--:|\n| 30000 | NodePort |\n")
        assert "<table>" in result.html
        assert '<td align="right">NodePort</td>' in result.html
        assert "style=" not in result.html

    def test_admonitions(self):
        result = render('!!! warning "Careful"\n    NodePort bypasses most network security.\n')
        assert '<div class="admonition warning">' in result.html
        assert '<p class="admonition-title"><span class="admonition-kind">Warning</span> Careful</p>' in result.html

    def test_article_links_follow_the_language_being_rendered(self):
        source = "See [the stack](article:container-stack#oci) and [logs](article:kubernetes-logging)."
        english = render(source, "en")
        chinese = render(source, "zh-hant")
        assert 'href="/en/articles/container-stack/#oci"' in english.html
        assert 'href="/zh-hant/articles/kubernetes-logging/"' in chinese.html
        assert english.article_links == {"container-stack", "kubernetes-logging"}

    def test_reading_minutes_counts_words_and_chinese_characters(self):
        assert reading_minutes("<p>" + "word " * 440 + "</p>") == 2
        assert reading_minutes("<p>" + "字" * 800 + "</p>") == 2
        assert reading_minutes("") == 0
        assert render("Short.").reading_minutes == 1


class _Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_inert(html):
    """No element that runs code, no event handler or style attribute, no URL with an unsafe scheme."""
    for tag, attrs in _Elements(html).elements:
        assert tag not in {"script", "iframe", "svg", "math", "form", "input", "object", "embed", "style"}, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name != "style", html
            if name in {"href", "src"}:
                scheme = re.match(r"\s*([a-z][a-z0-9+.-]*):", (value or "").lower())
                assert scheme is None or scheme.group(1) in {"http", "https", "mailto"}, html


class TestSanitizing:
    @pytest.mark.parametrize(
        "source",
        [
            "<script>alert(1)</script>",
            "Hello <script src=https://evil.example/x.js></script>",
            '<img src="x" onerror="alert(1)">',
            '<a href="#" onclick="alert(1)">click</a>',
            "<svg onload=alert(1)><circle/></svg>",
            '<iframe src="https://evil.example"></iframe>',
            '<div style="position:fixed;inset:0">cover</div>',
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "[click](java&#x09;script:alert(1))",
            "[click](&#106;avascript:alert(1))",
            "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "![x](javascript:alert(1))",
            '[ref][1]\n\n[1]: javascript:alert(1) "title"',
            '<a href="vbscript:msgbox(1)">x</a>',
            "<form action=https://evil.example><input name=password></form>",
            '```bash" onmouseover="alert(1)\necho hi\n```',
        ],
    )
    def test_nothing_live_survives(self, source):
        html = render(source).html
        assert_inert(html)
        assert "<script" not in html.lower()

    def test_safe_links_and_text_survive(self):
        html = render("[Kubernetes](https://kubernetes.io/docs/) and `<b>` in code").html
        assert '<a href="https://kubernetes.io/docs/">Kubernetes</a>' in html
        assert "<code>&lt;b&gt;</code>" in html


class TestLimits:
    """Input that would take the renderer minutes or crash it is refused with a message, and every render
    starts from a clean renderer. bench/render.py times the worst inputs the limits let through."""

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("[" * 20_000, "too many “[”"),
            ("1. " * 700, "nested more than 12 levels"),
            ("> " * 100 + "deep", "nested more than 12 levels"),
            ("".join("    " * depth + "- item\n" for depth in range(40)), "nested more than 12 levels"),
            ("*" * 2000 + "a" + "*" * 2000, "run of more than 30"),
            ("a <b " * 2000, "“<” outside code blocks"),
            ("***\n" * 5000, "very long"),
            ("## a\n\n" * 400, "more than 300 headings"),
            ("x" * 100_001, "the limit is 100,000"),
        ],
    )
    def test_pathological_input_is_refused_with_a_reason(self, text, message):
        with pytest.raises(MarkupError, match=re.escape(message)):
            render(text)
        with pytest.raises(ValidationError):
            validate_markdown(text)

    @pytest.mark.parametrize(
        "text",
        [
            "[a](http://b) " * 140,
            "\n\n".join(["[x" * 60] * 50),
            "".join("    " * depth + "- item\n" for depth in range(12)),
            "| a | b |\n|---|---|\n" + "| `<pod>` | [x](http://y) |\n" * 300,
            "```bash\n" + "echo '[<' \n" * 5000 + "```\n",
        ],
    )
    def test_large_ordinary_input_still_renders(self, text):
        assert render(text).html

    def test_a_failed_render_leaves_nothing_behind(self, monkeypatch):
        """A render that crashes halfway must not change how the next text renders (the renderer used to be
        kept per thread, and lost paragraphs and emphasis after one RecursionError)."""
        monkeypatch.setattr(markup, "check_markdown", lambda text: None)
        with pytest.raises(MarkupError, match="nested too deeply"):
            render("*" * 5000 + "a" + "*" * 5000)
        after = render("A *first* text after a failure.\n\nIts second paragraph.\n\nA third.").html
        assert "<em>first</em>" in after and after.count("<p>") == 3


class TestAdmonitionTitles:
    @pytest.mark.parametrize(
        ("language", "kind", "title"),
        [
            ("zh-hant", "note", "注意"),
            ("zh-hant", "warning", "警告"),
            ("zh-hant", "tip", "提示"),
            ("en", "danger", "Danger"),
        ],
    )
    def test_a_default_title_is_in_the_readers_language(self, language, kind, title):
        html = render(f"!!! {kind}\n    Body.\n", language=language).html
        assert f'<p class="admonition-title">{title}</p>' in html

    def test_a_title_the_author_wrote_is_kept(self):
        html = render('!!! warning "不要跳過 minor 版本"\n    內容。\n', language="zh-hant").html
        assert '<p class="admonition-title"><span class="admonition-kind">警告</span> 不要跳過 minor 版本</p>' in html
