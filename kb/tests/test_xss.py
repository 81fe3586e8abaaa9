"""Hostile Markdown: every payload goes through the real pipeline (Python-Markdown, its extensions, nh3) and
nothing that can run code, restyle the page or submit data may come out as live markup.

The output is inspected the way a browser would see it, by parsing it (``html.parser``) and looking at the
real elements and attribute values, so harmless escaped text such as ``&lt;script&gt;`` is allowed.
"""

import html
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from kb.markup import render_inline_markdown, render_markdown
from kb.models import Article, GlossaryTerm
from kb.tests.factories import make_article

# Elements that run script, load other documents, submit data, restyle the page or change how the rest of
# the page is parsed. None of them has a reason to appear in an article.
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
    "textarea", "select", "base", "meta", "link", "svg", "math", "noscript", "template", "xmp", "noembed",
    "noframes", "plaintext", "portal", "video", "audio", "source", "marquee", "body", "html", "head",
}  # fmt: skip
# Attributes whose value a browser resolves as a URL (or, for SVG animation, writes into one).
URL_ATTRIBUTES = {
    "href", "src", "xlink:href", "action", "formaction", "srcset", "imagesrcset", "poster", "background",
    "cite", "data", "codebase", "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "icon", "usemap",
    "from", "to", "values", "by",
}  # fmt: skip
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")
# Browsers ignore ASCII whitespace and control characters inside a scheme; so does this check, and it also
# drops Unicode spaces and zero-width characters to stay on the cautious side.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]+")

SCRIPT = "alert(document.domain)"
SVG_WITH_SCRIPT_BASE64 = "PHN2ZyB4bWxucz0naHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmcnIG9ubG9hZD0nYWxlcnQoMSknLz4="
HTML_WITH_SCRIPT_BASE64 = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="


def numeric_entities(text, template):
    return "".join(template.format(ord(char)) for char in text)


# (id, Markdown source). Ids say what each payload tries, grouped by the route it takes.
PAYLOADS = [
    # Raw HTML, as a block and inline in a paragraph.
    ("html-script-block", f"<script>{SCRIPT}</script>"),
    ("html-script-inline", f"Some text <script>{SCRIPT}</script> and more."),
    ("html-script-src-upper-case", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("html-script-split-by-nested-tag", f"<scr<script>ipt>{SCRIPT}</scr</script>ipt>"),
    ("html-script-double-angle", f"<<script>script>{SCRIPT}<</script>/script>"),
    ("html-style-element", "<style>body { background: url(javascript:alert(1)) }</style>"),
    ("html-style-attribute", '<p style="position:fixed;inset:0;background:red">cover the page</p>'),
    ("html-style-attribute-inline", 'Text <span style="display:none">hidden</span> text.'),
    ("html-iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("html-iframe-javascript", "<iframe src=javascript:alert(1)></iframe>"),
    ("html-object-data", f'<object data="data:text/html;base64,{HTML_WITH_SCRIPT_BASE64}"></object>'),
    ("html-embed-src", '<embed src="https://evil.example/x.swf">'),
    (
        "html-form-and-formaction",
        '<form action="https://evil.example/"><input name="password"><button formaction="javascript:alert(1)">Go</button></form>',
    ),
    ("html-base-href", '<base href="https://evil.example/">'),
    ("html-meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("html-link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">'),
    ("html-unclosed-img", "<img src=x onerror=alert(1)//"),
    ("html-unclosed-nesting", "<div><p><a href=javascript:alert(1)>unclosed <b>bold"),
    ("html-broken-attribute-quote", '<a href="javascript:alert(1)"<b>x</b>'),
    ("html-duplicate-href", '<a href="https://example.com/" href="javascript:alert(1)">x</a>'),
    ("html-inside-table-cell", "| a |\n|---|\n| <img src=x onerror=alert(1)> |"),
    ("html-inside-list-and-quote", "> - item <a href=javascript:alert(1) onclick=alert(1)>x</a>"),
    # Event handlers, on allowed and on forbidden elements.
    ("on-img-onerror", "<img src=x onerror=alert(1)>"),
    ("on-img-slash-separated", "<img/src=x/onerror=alert(1)>"),
    ("on-img-backticks", "<img src=`x` onerror=alert`1`>"),
    ("on-img-upper-case-handler", '<img src="x.png" ONERROR="alert(1)">'),
    ("on-svg-onload", "<svg onload=alert(1)>"),
    ("on-body-onload", "<body onload=alert(1)>"),
    ("on-details-ontoggle", "<details open ontoggle=alert(1)><summary>s</summary>x</details>"),
    ("on-video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("on-audio-onerror", "<audio src=x onerror=alert(1)></audio>"),
    ("on-div-onmouseover", '<div onmouseover="alert(1)">hover me</div>'),
    ("on-a-onfocus-autofocus", '<a href="#x" id="x" tabindex="1" onfocus="alert(1)" autofocus>x</a>'),
    ("on-input-onfocus-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("on-marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("on-inline-span-onclick", "**bold** and <span onclick=alert(1)>click</span>"),
    # `javascript:` in every spelling, through Markdown links and through raw HTML.
    ("js-md-link", "[x](javascript:alert(1))"),
    ("js-md-link-mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("js-md-link-angle-brackets", "[x](<javascript:alert(1)>)"),
    ("js-md-link-leading-spaces", "[x](   javascript:alert(1))"),
    ("js-md-link-with-title", '[x](javascript:alert(1) "title")'),
    ("js-md-image", "![x](javascript:alert(1))"),
    ("js-md-link-decimal-entity", "[x](&#106;avascript:alert(1))"),
    ("js-md-link-hex-entity", "[x](&#x6A;avascript:alert(1))"),
    ("js-md-link-all-entities", f"[x]({numeric_entities('javascript:alert(1)', '&#{};')})"),
    ("js-md-link-entity-tab", "[x](java&#x09;script:alert(1))"),
    ("js-md-link-named-colon", "[x](javascript&colon;alert(1))"),
    ("js-md-link-url-encoded", "[x](javascript%3Aalert(1)) [y](%6A%61vascript:alert(1))"),
    ("js-autolink", "<javascript:alert(1)>"),
    ("js-autolink-entities", "<&#106;avascript:alert(1)>"),
    ("js-html-plain", '<a href="javascript:alert(1)">x</a>'),
    ("js-html-mixed-case-unquoted", "<a href=JAVAscript:alert(1)>x</a>"),
    ("js-html-leading-spaces", '<a href="   javascript:alert(1)">x</a>'),
    ("js-html-leading-control-character", '<a href="&#x01;&#14; javascript:alert(1)">x</a>'),
    ("js-html-literal-tab", '<a href="java\tscript:alert(1)">x</a>'),
    ("js-html-literal-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("js-html-entity-space-inside", '<a href="java&#32;script:alert(1)">x</a>'),
    ("js-md-link-space-inside", "[x](<java script:alert(1)>)"),
    ("js-html-no-break-space-inside", '<a href="java&nbsp;script:alert(1)">x</a>'),
    ("js-html-invisible-characters", '<a href="&#xFEFF;java&#x200B;script&#x200D;:alert(1)">x</a>'),
    ("js-html-entity-tab-newline", '<a href="jav&Tab;as&NewLine;cript:alert(1)">x</a>'),
    ("js-html-hex-entity-first-letter", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    ("js-html-decimal-entities", f'<a href="{numeric_entities("javascript:alert(1)", "&#{};")}">x</a>'),
    ("js-html-decimal-no-semicolons", f'<a href="{numeric_entities("javascript:alert(1)", "&#{}")}">x</a>'),
    ("js-html-decimal-zero-padded", f'<a href="{numeric_entities("javascript:", "&#{:07d}")}alert(1)">x</a>'),
    ("js-html-hex-entities", f'<a href="{numeric_entities("javascript:alert(1)", "&#x{:x};")}">x</a>'),
    ("js-html-hex-no-semicolons", f'<a href="{numeric_entities("javascript:alert(1)", "&#X{:X}")}">x</a>'),
    ("js-html-named-colon", '<a href="javascript&colon;alert(1)">x</a>'),
    ("js-html-numeric-colon", '<a href="javascript&#58;alert(1)">x</a>'),
    ("js-html-url-encoded", '<a href="javascript%3aalert(1)">x</a>'),
    ("js-html-img-src", "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">"),
    ("js-html-formaction-on-allowed-tag", '<a href="https://example.com/" formaction="javascript:alert(1)">x</a>'),
    ("js-html-xlink-on-allowed-tag", '<a href="https://example.com/" xlink:href="javascript:alert(1)">x</a>'),
    ("js-html-srcset", '<img src="x.png" srcset="javascript:alert(1) 1x, x.png 2x">'),
    ("vbscript-html", '<a href="vbscript:msgbox(1)">x</a>'),
    ("vbscript-md-mixed-case", "[x](VbScRiPt:msgbox(1))"),
    # data: URLs.
    ("data-md-link-html", f"[x](data:text/html;base64,{HTML_WITH_SCRIPT_BASE64})"),
    ("data-md-image-svg", f"![x](data:image/svg+xml;base64,{SVG_WITH_SCRIPT_BASE64})"),
    ("data-md-image-mixed-case", f"![x](DaTa:image/svg+xml;base64,{SVG_WITH_SCRIPT_BASE64})"),
    ("data-html-link-plain", '<a href="data:text/html,<script>alert(1)</script>">x</a>'),
    (
        "data-html-img-entity-encoded",
        f'<img src="{numeric_entities("data:", "&#x{:x};")}image/svg+xml;base64,{SVG_WITH_SCRIPT_BASE64}">',
    ),
    ("data-html-srcset", f'<img src="x.png" srcset="data:image/svg+xml;base64,{SVG_WITH_SCRIPT_BASE64} 2x">'),
    # SVG and MathML.
    ("svg-script", f"<svg><script>{SCRIPT}</script></svg>"),
    ("svg-script-xlink", '<svg><script xlink:href="data:,alert(1)"></script></svg>'),
    ("svg-a-xlink-href", '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>'),
    (
        "svg-animate-href",
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text x="0" y="20">x</text></a></svg>',
    ),
    ("svg-set-href", '<svg><a><set attributeName="xlink:href" to="javascript:alert(1)"/><text>x</text></a></svg>'),
    ("svg-set-event-handler", "<svg><set attributeName=onmouseover to=alert(1) /></svg>"),
    ("svg-foreign-object", "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>"),
    ("svg-style-mutation", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    ("svg-cdata", "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
    (
        "math-mglyph-style",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    ),
    ("math-href", '<math href="javascript:alert(1)"><mi>x</mi></math>'),
    (
        "math-maction-xlink",
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    ),
    # Markdown extension syntax: attr_list, footnotes and abbreviations are not enabled and must stay text;
    # admonitions, tables and the table of contents are.
    ("ext-attr-list-block", 'A paragraph.\n{: onclick="alert(1)" style="color:red" }'),
    ("ext-attr-list-heading", "## Heading { onmouseover=alert(1) style=display:none }"),
    ("ext-attr-list-inline-link", "[x](https://example.com/){: onclick=alert(1) href=javascript:alert(1) }"),
    ("ext-admonition-title-html", '!!! note "<img src=x onerror=alert(1)>"\n    Body.'),
    ("ext-admonition-title-quote", '!!! note "a" onclick="alert(1)"\n    Body.'),
    ("ext-admonition-type-breakout", '!!! note" onclick="alert(1)\n    Body.'),
    ("ext-admonition-body-script", "!!! warning\n    <script>alert(1)</script>\n    [x](javascript:alert(1))"),
    ("ext-table-alignment-and-cells", "| <b onclick=alert(1)>h</b> |\n|:--:|\n| [x](javascript:alert(1)) |"),
    (
        "ext-toc-marker-with-hostile-headings",
        "[TOC]\n\n## <a href=javascript:alert(1)>x</a>\n\n## [y](javascript:alert(1))",
    ),
    ("ext-toc-heading-html", "## <img src=x onerror=alert(1)> heading"),
    ("ext-toc-heading-slug-breakout", '## "><svg onload=alert(1)>'),
    ("ext-footnote", "Text[^1].\n\n[^1]: <script>alert(1)</script> [x](javascript:alert(1))"),
    ("ext-abbreviation", "HTML is here.\n\n*[HTML]: <img src=x onerror=alert(1)>"),
    ("ext-md-in-html", '<div markdown="1">[x](javascript:alert(1))</div>'),
    ("ext-article-link-anchor", '[x](article:container-stack#"><script>alert(1)</script>)'),
    ("ext-article-link-bad-slug", "[x](article:javascript:alert(1)) [y](article:../javascript:alert(1))"),
    # Fenced code: the info string and the brace options must not become attributes or markup.
    ("fence-info-breakout", '```"><script>alert(1)</script>\ncode\n```'),
    ("fence-lang-quote-breakout", '```python" onmouseover="alert(1)\ncode\n```'),
    ("fence-brace-onclick", '```{.python onclick="alert(1)"}\ncode\n```'),
    ("fence-brace-style-and-data", '```{.python style="color:red" data-x="1"}\ncode\n```'),
    ("fence-brace-id-breakout", '``` {.python #"><img src=x onerror=alert(1)>}\ncode\n```'),
    ("fence-title-breakout", "```python title='\"><img src=x onerror=alert(1)>'\ncode\n```"),
    ("fence-title-html-mode", '```python title="<img src=x onerror=alert(1)>" title_mode="html"\ncode\n```'),
    ("fence-tilde-info", "~~~<svg/onload=alert(1)>\ncode\n~~~"),
    # Reference-style links and images.
    ("ref-link-javascript", "[a][1]\n\n[1]: javascript:alert(1)"),
    ("ref-link-angle-brackets", "[a][1]\n\n[1]: <javascript:alert(1)> 'title'"),
    ("ref-link-entities", f"[a][1]\n\n[1]: {numeric_entities('javascript', '&#{};')}:alert(1)"),
    ("ref-link-title-quote-breakout", '[a][1]\n\n[1]: https://example.com/ "a" onmouseover="alert(1)"'),
    ("ref-link-title-escaped-quote", '[a][1]\n\n[1]: https://example.com/ "a\\" onmouseover=\\"alert(1)"'),
    ("ref-image-javascript", "![i][img]\n\n[img]: javascript:alert(1) 'x'"),
    ("ref-shortcut-vbscript", "[go]\n\n[go]: vbscript:msgbox(1)"),
    # Image alt and title breakout.
    ("img-alt-quote-breakout", '![" onerror="alert(1)](x.png)'),
    ("img-alt-html", "![<img src=x onerror=alert(1)>](x.png)"),
    ("img-title-double-quote-breakout", '![x](x.png "a\\" onerror=\\"alert(1)")'),
    ("img-title-single-quote-breakout", "![x](x.png 'a\" onload=\"alert(1)')"),
    ("link-title-breakout", '[x](https://example.com/ "\\" onclick=\\"alert(1)")'),
    # Comments, CDATA, processing instructions.
    ("comment-closes-early", "<!-- --><script>alert(1)</script> -->"),
    ("comment-abrupt-close", "<!--><img src=x onerror=alert(1)>-->"),
    ("comment-bang-close", "<!-- x --!><img src=x onerror=alert(1)>"),
    ("comment-conditional", "<!--[if gte IE 4]><script>alert(1)</script><![endif]-->"),
    ("comment-in-attribute", '<a title="<!--" href="javascript:alert(1)">x</a><!-- -->'),
    ("cdata-script", "<![CDATA[<script>alert(1)</script>]]>"),
    ("processing-instruction", '<?xml-stylesheet href="javascript:alert(1)"?>'),
    # Elements whose content the parser treats specially (mutation XSS).
    ("noscript-title-mutation", '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>'),
    ("template-script", f"<template><script>{SCRIPT}</script></template>"),
    ("template-img", "<template><img src=x onerror=alert(1)></template>"),
    ("xmp-title-mutation", '<xmp><p title="</xmp><img src=x onerror=alert(1)>">'),
    ("textarea-breakout", '<textarea><img title="</textarea><img src=x onerror=alert(1)>"></textarea>'),
    ("select-style-mutation", "<select><style></select><img src=x onerror=alert(1)></style></select>"),
    ("plaintext", "<plaintext><img src=x onerror=alert(1)>"),
]


class _Document(HTMLParser):
    """What a browser would build from the HTML: elements with their (entity-decoded) attributes."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.end_tags = []
        self.declarations = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_endtag(self, tag):
        self.end_tags.append(tag)

    def handle_comment(self, data):
        self.declarations.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.declarations.append(f"<!{decl}>")

    def unknown_decl(self, data):
        self.declarations.append(f"<![{data}]>")

    def handle_pi(self, data):
        self.declarations.append(f"<?{data}>")


def is_unsafe_url(value):
    """True if ``value`` starts with a scheme that runs code or embeds a document, however it is spelled."""
    decoded = value or ""
    # html.parser has decoded the entities once, as a browser does; decode until stable to be cautious.
    while (again := html.unescape(decoded)) != decoded:
        decoded = again
    decoded = IGNORED_IN_SCHEME.sub("", decoded).lower()
    return decoded.startswith(UNSAFE_SCHEMES)


def live_markup(markup):
    """Every reason ``markup`` is unsafe to show a reader; empty when it is inert."""
    document = _Document(markup)
    problems = []
    for tag in {tag for tag, _ in document.elements} | set(document.end_tags):
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}> element")
    for tag, attrs in document.elements:
        for name, value in attrs:
            if name.startswith("on"):
                problems.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                problems.append(f"style= on <{tag}>")
            elif name in URL_ATTRIBUTES:
                candidates = value.split(",") if name.endswith("srcset") else [value]
                if any(is_unsafe_url(candidate) for candidate in candidates):
                    problems.append(f"unsafe URL in {name}={value!r} on <{tag}>")
    problems.extend(f"markup declaration {declaration}" for declaration in document.declarations)
    return problems


PAYLOAD_IDS = [name for name, _ in PAYLOADS]
PAYLOAD_SOURCES = [source for _, source in PAYLOADS]


def test_corpus_is_large_and_has_no_duplicates():
    assert len(PAYLOADS) >= 40
    assert len(set(PAYLOAD_IDS)) == len(PAYLOADS)
    assert len(set(PAYLOAD_SOURCES)) == len(PAYLOADS)


class TestEverySurface:
    """The corpus runs once through each path that turns text into stored or shown HTML: the renderer
    (articles, course and lesson descriptions, question prompts all use it), its inline variant (quiz choices
    and feedback, which unwraps the paragraph), and an article's save, which marks glossary terms in the
    sanitized HTML before it is stored and shown with ``|safe``."""

    @pytest.mark.parametrize("source", PAYLOAD_SOURCES, ids=PAYLOAD_IDS)
    def test_rendered_html_is_inert(self, source):
        output = render_markdown(source, language="zh-hant").html
        assert live_markup(output) == [], output

    @pytest.mark.parametrize("source", PAYLOAD_SOURCES, ids=PAYLOAD_IDS)
    def test_inline_rendering_is_inert(self, source):
        output = render_inline_markdown(source, language="en")
        assert live_markup(output) == [], output

    @pytest.mark.django_db
    @pytest.mark.parametrize("source", PAYLOAD_SOURCES, ids=PAYLOAD_IDS)
    def test_stored_article_html_is_inert(self, source):
        GlossaryTerm.objects.create(slug="script", term_en="script", term_zh_hant="腳本", definition_en="Code.")
        article = make_article(body_en=source, body_zh_hant=source)
        stored = Article.objects.get(pk=article.pk)
        for output in (stored.body_html_en, stored.body_html_zh_hant):
            assert live_markup(output) == [], output


@pytest.mark.django_db
class TestArticlePage:
    def test_article_page_with_hostile_headings(self, client):
        # Headings feed the page's table of contents, which the template renders outside the stored HTML.
        headings = [source for name, source in PAYLOADS if name.startswith(("ext-toc", "js-md", "on-"))]
        body = "\n\n".join(f"## {source}\n\nText." for source in headings)
        article = make_article(body_en=body, body_zh_hant=body)
        for language in ("en", "zh-hant"):
            with translation.override(language):
                url = reverse("kb:article-detail", kwargs={"slug": article.slug})
            page = client.get(url).content.decode()
            shown = page[page.index("<article") : page.index("</article>")]
            assert 'class="toc"' in shown
            # The site's own form that turns glossary hints off is the one form an article page may hold.
            shown = re.sub(r'<form class="inline-form glossary-marks-toggle".*?</form>', "", shown, flags=re.S)
            assert live_markup(shown) == [], shown


class TestSafeContentSurvives:
    """The sanitizer must keep what authors legitimately write, or the tests above would prove nothing."""

    def elements(self, source):
        return _Document(render_markdown(source, language="en").html).elements

    def test_links(self):
        source = "[Docs](https://kubernetes.io/docs/), [next](../networking/#ports), [mail](mailto:team@example.com)"
        hrefs = [dict(attrs).get("href") for tag, attrs in self.elements(source) if tag == "a"]
        assert hrefs == ["https://kubernetes.io/docs/", "../networking/#ports", "mailto:team@example.com"]

    def test_reference_link_with_title(self):
        output = render_markdown('[the spec][spec]\n\n[spec]: https://example.com/spec "The spec"', language="en").html
        assert '<a href="https://example.com/spec" title="The spec">the spec</a>' in output

    def test_image(self):
        images = [dict(attrs) for tag, attrs in self.elements('![A diagram](/static/img/stack.png "The stack")')]
        assert {"alt": "A diagram", "src": "/static/img/stack.png", "title": "The stack"} in images

    def test_fenced_code_is_highlighted_by_pygments(self):
        output = render_markdown("```python\ndef handler(event):\n    return None\n```", language="en").html
        assert '<div class="highlight"><pre>' in output
        assert '<span class="k">def</span>' in output

    def test_table(self):
        output = render_markdown("| Port | Use |\n|:--|--:|\n| 443 | HTTPS |", language="en").html
        assert "<table>" in output
        assert '<td align="right">HTTPS</td>' in output

    def test_admonition_and_heading_anchor(self):
        output = render_markdown('## Ports\n\n!!! tip "Remember"\n    Close what you do not use.', language="en").html
        assert '<h2 id="ports">Ports</h2>' in output
        assert '<p class="admonition-title"><span class="admonition-kind">Tip</span> Remember</p>' in output

    def test_escaped_markup_is_shown_as_text(self):
        output = render_markdown("Write `<script>` tags and \\<b> like this.", language="en").html
        assert "<code>&lt;script&gt;</code>" in output
        assert live_markup(output) == []


class TestTheCheckItself:
    """``live_markup`` has to notice live markup, whatever the spelling, and let escaped text through."""

    @pytest.mark.parametrize(
        "markup",
        [
            "<p><script>alert(1)</script></p>",
            "<style>p{}</style>",
            '<p onclick="alert(1)">x</p>',
            '<img src="x.png" ONERROR="alert(1)">',
            '<p style="color:red">x</p>',
            "<iframe></iframe>",
            "<form><input></form>",
            '<base href="/">',
            '<a href="javascript:alert(1)">x</a>',
            '<a href=" &#x6A;ava&#x09;script&colon;alert(1)">x</a>',
            '<a href="java\nscript:alert(1)">x</a>',
            '<a href="java script:alert(1)">x</a>',
            '<a href="&amp;#106;avascript:alert(1)">x</a>',
            '<a href="VBScript:msgbox(1)">x</a>',
            '<img src="DATA:image/svg+xml,<svg/onload=alert(1)>">',
            '<img srcset="x.png 1x, data:image/png;base64,AAAA 2x">',
            '<a xlink:href="javascript:alert(1)">x</a>',
            '<a formaction="javascript:alert(1)">x</a>',
            "<!-- [if IE]><script>alert(1)</script><![endif] -->",
        ],
    )
    def test_live_markup_is_reported(self, markup):
        assert live_markup(markup) != []

    def test_escaped_text_and_safe_urls_are_not_reported(self):
        markup = '<p>&lt;script&gt;alert(1)&lt;/script&gt; javascript:alert(1)</p><a href="https://example.com/" title="javascript:">x</a>'
        assert live_markup(markup) == []
