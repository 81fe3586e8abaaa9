import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.tests.factories import make_course
from kb.models import Article, GlossaryTerm
from kb.tests.factories import make_article, make_topic
from search.analysis import analyse, parse
from search.query import search

pytestmark = pytest.mark.django_db

HARDWARE_EN = """## Northbridge and southbridge

On older boards the northbridge linked the CPU to memory and graphics, while the southbridge served
slow devices. Upgrading the front side bus meant upgrading the board."""
HARDWARE_ZH = """## 北橋與南橋

早期主機板上，北橋負責連接 CPU、主記憶體與顯示卡，南橋則負責硬碟、USB 這類速度較慢的裝置。
要提升前端匯流排的速度，通常就得換一塊主機板。"""
NETWORK_EN = "## Load balancing\n\nPut a real load balancer in front of NodePort services before opening them up."
NETWORK_ZH = "## 負載平衡\n\n對外開放 NodePort Service 之前，先在前面放一台真正的負載平衡器。日誌也要集中保存。"


def slugs(results):
    """The slugs of the pages found, from their addresses."""
    return [unquote(hit.url).rstrip("/").rsplit("/", 1)[-1] for hit in results.hits]


@pytest.fixture
def corpus():
    hardware = make_article(
        slug="pc-hardware",
        title_en="Inside the PC: buses and bridges",
        title_zh_hant="PC 內部：匯流排與橋接晶片",
        summary_en="How the CPU reaches memory.",
        summary_zh_hant="CPU 如何存取記憶體。",
        body_en=HARDWARE_EN,
        body_zh_hant=HARDWARE_ZH,
        published_at=timezone.now() - timedelta(days=10),
    )
    network = make_article(
        slug="nodeport",
        title_en="NodePort and load balancers",
        title_zh_hant="NodePort 與負載平衡器",
        summary_en="Exposing services safely.",
        summary_zh_hant="安全地對外開放服務。",
        body_en=NETWORK_EN,
        body_zh_hant=NETWORK_ZH,
        published_at=timezone.now() - timedelta(days=5),
    )
    upgrade = make_article(
        slug="kubeadm",
        title_en="Upgrade a cluster with kubeadm",
        title_zh_hant="用 kubeadm 升級叢集",
        summary_en="One control-plane node at a time.",
        summary_zh_hant="一次升級一台控制平面節點。",
        body_en="## Steps\n\nDrain the node, upgrade kubeadm, then the kubelet. Containers restart.",
        body_zh_hant="## 步驟\n\n先 drain 節點，升級 kubeadm，再升級 kubelet。所有容器都會重新啟動。",
    )
    images = make_article(
        slug="images",
        title_en="Docker images are OCI images",
        title_zh_hant="Docker 映像檔其實是 OCI 映像檔",
        summary_en="What is inside an image.",
        summary_zh_hant="映像檔裡面有什麼。",
        body_en="## Layers\n\nAn image is a stack of layers. The docker command builds and runs containers.",
        body_zh_hant="## 分層\n\n映像檔由一層層的檔案系統疊成。docker 指令負責建構並執行容器。",
    )
    GlossaryTerm.objects.create(
        slug="northbridge", term_en="northbridge", term_zh_hant="北橋", aliases_en="north bridge"
    )
    GlossaryTerm.objects.create(
        slug="load-balancing", term_en="load balancing", term_zh_hant="負載平衡", aliases_zh_hant="負載均衡"
    )
    return {"hardware": hardware, "network": network, "upgrade": upgrade, "images": images}


class TestAnalysis:
    def test_chinese_runs_become_bigrams_and_a_final_character(self):
        assert analyse("負載平衡") == "負載 載平 平衡 衡"
        assert analyse("北") == "北"

    def test_latin_words_are_kept_whole_and_normalised(self):
        assert analyse("ＤＯＣＫＥＲ Containers, kube-proxy") == "docker containers kube proxy"

    def test_mixed_text(self):
        assert analyse("用 kubeadm 升級") == "用 kubeadm 升級 級"

    def test_query_terms(self):
        query = parse("kubeadm 升級 北")
        kinds = [alt.kind for term in query.terms for alt in term.alternatives]
        assert kinds == ["word", "phrase", "prefix"]

    def test_a_query_of_only_common_words_is_recognised(self):
        assert parse("AND OR NOT and").common_words == ["and", "or", "not"]
        assert parse("the").common_words == ["the"]
        assert parse("and docker").common_words == []
        assert parse("的").common_words == [] and parse("").common_words == []

    def test_the_phrase_a_title_is_rewarded_for_is_written_as_the_index_writes_it(self):
        assert parse("Load Balancer").phrase == "load balancer"
        assert parse("容器 映像檔").phrase == "容器 器映 映像 像檔"
        assert parse("kubeadm 升級").phrase == "kubeadm 升級"
        assert parse("docker").phrase == "" and parse("負載平衡").phrase == ""

    def test_simplified_input_is_converted(self):
        assert parse("镜像").words == ["鏡像"]

    def test_glossary_expands_both_ways(self):
        glossary = {"northbridge": ["北橋"], "北橋": ["northbridge"]}
        english = parse("northbridge", glossary).terms[0]
        assert {alt.tokens for alt in english.alternatives} == {("northbridge",), ("北橋",)}
        chinese = parse("北橋", glossary).terms[0]
        assert english.from_glossary == ["北橋"] and chinese.from_glossary == ["northbridge"]

    def test_rendered_html_becomes_single_spaced_text(self):
        from search.analysis import plain_text

        html = "<h2>Pods&nbsp;and\u3000容器</h2>\n<p>  run\t<code>kubectl</code>\r\n&lt;get&gt;\u2028pods </p>"
        assert plain_text(html) == "Pods and 容器 run kubectl <get> pods"
        assert plain_text("") == plain_text(None) == plain_text("<p> </p>") == ""


class TestChinese:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("北橋", "pc-hardware"),  # two characters inside a sentence
            ("記憶體", "pc-hardware"),  # three
            ("負載平衡", "nodeport"),  # four
            ("匯流排", "pc-hardware"),
            ("日誌", "nodeport"),
            ("映像檔", "images"),
        ],
    )
    def test_terms_inside_sentences(self, corpus, text, expected):
        assert expected in slugs(search(text, language="zh-hant"))

    def test_no_false_match_across_a_phrase(self, corpus):
        # 載平 and 平衡 both occur in 負載平衡; 衡載 does not occur anywhere.
        assert search("衡載", language="zh-hant").total == 0

    def test_single_character_is_a_prefix_match(self, corpus):
        found = slugs(search("橋", language="zh-hant"))
        assert "pc-hardware" in found

    def test_mixed_queries(self, corpus):
        assert slugs(search("kubeadm 升級", language="zh-hant"))[0] == "kubeadm"
        assert slugs(search("Docker 映像檔", language="en"))[0] == "images"

    def test_full_width_latin(self, corpus):
        assert "images" in slugs(search("ＤＯＣＫＥＲ", language="en"))

    def test_simplified_input_finds_traditional_text(self, corpus):
        assert "images" in slugs(search("映像档", language="zh-hant"))
        assert "nodeport" in slugs(search("负载均衡", language="zh-hant"))  # characters, then the glossary alias


class TestEnglish:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("containers", "kubeadm"),
            ("upgrading", "kubeadm"),
            ("layer", "images"),
            ("kubelets", "kubeadm"),
            ("draining", "kubeadm"),
        ],
    )
    def test_word_forms(self, corpus, text, expected):
        assert expected in slugs(search(text, language="en"))

    def test_all_words_must_match(self, corpus):
        assert slugs(search("drain kubelet", language="en")) == ["kubeadm"]
        assert search("drain northbridge", language="en").total == 0


class TestCrossLanguage:
    def test_english_word_finds_chinese_and_back(self, corpus):
        english = search("northbridge", language="zh-hant")
        assert slugs(english)[0] == "pc-hardware"
        chinese = search("北橋", language="en")
        assert slugs(chinese)[0] == "pc-hardware"

    def test_the_glossary_carries_a_term_to_text_written_only_in_the_other_language(self, corpus):
        make_article(
            slug="zh-only", languages=("zh-hant",), title_zh_hant="主機板上的橋", body_zh_hant="## 橋\n\n北橋靠近 CPU。"
        )
        make_article(
            slug="en-only", languages=("en",), title_en="Board bridges", body_en="## Bridges\n\nA northbridge."
        )

        def found():
            return slugs(search("northbridge", language="en")), slugs(search("北橋", language="zh-hant"))

        english, chinese = found()
        assert "zh-only" in english and "en-only" in chinese
        GlossaryTerm.objects.filter(slug="northbridge").delete()
        english, chinese = found()
        assert "zh-only" not in english and "en-only" not in chinese
        assert "en-only" in english and "zh-only" in chinese

    def test_the_words_of_glossary_popovers_are_not_searched(self, corpus):
        GlossaryTerm.objects.create(
            slug="dongle", term_en="dongle", term_zh_hant="轉接器", definition_en="A gadget the wallaby plugs in."
        )
        article = make_article(body_en="## A\n\nPlug the dongle in.")
        assert "wallaby" in article.body_html_en and 'class="term"' in article.body_html_en
        assert search("wallaby", language="en").total == 0
        assert slugs(search("dongle", language="en")) == [article.slug]

    def test_result_shows_the_interface_language_and_the_other_title(self, client, corpus):
        html = client.get("/en/search/?q=%E5%8C%97%E6%A9%8B").content.decode()
        assert "Inside the PC: buses and bridges" in html
        assert "PC 內部：匯流排與橋接晶片" in html
        assert "<mark>北橋</mark>" in html


class TestRanking:
    def test_title_hits_rank_above_summary_and_body_hits(self):
        topic = make_topic()
        now = timezone.now()
        body = make_article(topic=topic, body_en="## Note\n\nA word about the dingo.", published_at=now)
        summary = make_article(
            topic=topic,
            summary_en="Meet the dingo.",
            body_en="## Note\n\nNothing.",
            published_at=now - timedelta(days=1),
        )
        title = make_article(
            topic=topic, title_en="The dingo", body_en="## Note\n\nNothing.", published_at=now - timedelta(days=2)
        )
        assert slugs(search("dingo", language="en")) == [title.slug, summary.slug, body.slug]

    def test_phrase_beats_scattered_words(self, corpus):
        make_article(
            slug="scattered",
            title_en="Balancing the load of a real team",
            body_en="## Text\n\nload here, balancer there.",
            published_at=timezone.now(),
        )
        hits = slugs(search("load balancers", language="en"))
        assert hits.index("nodeport") < hits.index("scattered")

    @pytest.mark.parametrize(
        ("query", "together", "apart"),
        [
            ("kubeadm 升級", "用 kubeadm 升級叢集", "升級前先讀 kubeadm 文件"),
            ("容器 映像檔", "容器映像檔的分層", "映像檔與容器"),
            ("docker 映像檔", "docker 映像檔入門", "映像檔不只給 docker 用"),
        ],
    )
    def test_a_chinese_or_mixed_phrase_beats_scattered_words(self, query, together, apart):
        topic = make_topic()
        now = timezone.now()
        scattered = make_article(topic=topic, title_zh_hant=apart, published_at=now)
        phrase = make_article(topic=topic, title_zh_hant=together, published_at=now - timedelta(days=2))
        assert slugs(search(query, language="zh-hant")) == [phrase.slug, scattered.slug]

    def test_ties_go_to_the_newest(self):
        topic = make_topic()
        old = make_article(topic=topic, body_en="## A\n\nzebra", published_at=timezone.now() - timedelta(days=9))
        new = make_article(topic=topic, body_en="## A\n\nzebra", published_at=timezone.now() - timedelta(days=1))
        assert slugs(search("zebra", language="en")) == [new.slug, old.slug]


class TestSearchPage:
    @pytest.mark.parametrize(
        "query",
        [
            '"',
            "*",
            "(",
            ":",
            "NEAR(",
            "AND OR NOT",
            "-docker",
            "\\",
            "x" * 5000,
            "'; DROP TABLE kb_article; --",
            "title:docker",
            '"unterminated',
            "* OR *",
        ],
    )
    def test_bad_input_is_a_normal_page(self, client, corpus, query):
        response = client.get("/en/search/", {"q": query})
        assert response.status_code == 200
        html = response.content.decode()
        count = re.search(r"(\d+) results? for", html)
        assert count is None or int(count.group(1)) < Article.objects.count()  # never "everything"
        assert Article.objects.count() == 4

    def test_a_nul_character_gets_the_bad_request_page_in_the_readers_language(self, client, corpus):
        response = client.get("/zh-hant/search/", {"q": "docker\x00"})
        assert response.status_code == 400
        assert '<html lang="zh-Hant">' in response.content.decode()

    def test_empty_query_shows_help_and_runs_nothing(self, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(1):  # the topics for the filter
            response = client.get("/zh-hant/search/", {"q": "   "})
        assert "不論你正在閱讀哪種語言" in response.content.decode()

    def test_each_filter_shows_its_count(self, client, corpus):
        make_course(lessons=1, title_en="Kubeadm course", topic=corpus["upgrade"].topic)
        other = make_article(title_en="Kubeadm elsewhere")
        html = client.get("/en/search/", {"q": "kubeadm"}).content.decode()

        def count(label):
            found = re.search(rf">{re.escape(label)}</a>\s*<span class=\"muted\">\((\d+)\)</span>", html)
            return int(found.group(1)) if found else None

        assert "3 results for" in html
        assert (count("Article"), count("Course")) == (2, 1)
        assert (count(corpus["upgrade"].topic.name_en), count(other.topic.name_en)) == (2, 1)

    def test_only_common_words_explain_themselves_and_list_nothing(self, client, django_assert_max_num_queries):
        for n in range(3):
            make_article(
                slug=f"common-{n}", body_en="## A\n\nThis and that, or not: a puffin.", summary_en="And or not."
            )
        assert search("or not", language="en").total == 0
        with django_assert_max_num_queries(1):  # the topics for the filter
            english = client.get("/en/search/", {"q": "AND OR NOT"}).content.decode()
        assert "“AND OR NOT” holds only very common words" in english and "Words such as and, or, not" in english
        assert "/en/articles/common-" not in english and "(0)" not in english  # nothing was counted
        chinese = client.get("/zh-hant/search/", {"q": "the"}).content.decode()
        assert "「the」只有非常常見的詞" in chinese and "/zh-hant/articles/common-" not in chinese
        beside = client.get("/en/search/", {"q": "or a puffin"}).content.decode()
        assert "3 results for" in beside and "very common words" not in beside

    def test_filters(self, client, corpus):
        make_course(lessons=1, title_en="Kubeadm course")
        html = client.get("/en/search/", {"q": "kubeadm", "kind": "article"}).content.decode()
        assert "/en/articles/kubeadm/" in html and "Kubeadm course" not in html
        html = client.get("/en/search/", {"q": "kubeadm", "topic": corpus["upgrade"].topic.slug}).content.decode()
        assert "1 result for" in html
        html = client.get("/en/search/", {"q": "kubeadm", "kind": "nonsense", "topic": "nope"}).content.decode()
        assert "2 results for" in html

    @pytest.mark.parametrize(("lang", "kind"), [("en", "Article"), ("zh-hant", "文章")])
    def test_topics_are_named_in_the_interface_language_and_listed_in_their_order(self, client, lang, kind):
        later = make_topic(slug="a-later", name_en="Later", name_zh_hant="後來", order=9)
        first = make_topic(slug="z-first", name_en="First", name_zh_hant="", order=1)  # not translated
        make_article(topic=later, body_en="## A\n\nThe quokka.")
        make_article(topic=first, body_en="## A\n\nA quokka.")
        html = client.get(f"/{lang}/search/", {"q": "quokka"}).content.decode()
        later_name = "Later" if lang == "en" else "後來"
        assert re.findall(r'href="\?q=quokka&amp;topic=([\w-]+)">([^<]+)</a>', html) == [
            ("z-first", "First"),
            ("a-later", later_name),
        ]
        assert html.count(f'<p class="result-kind">{kind} · {later_name}</p>') == 1
        assert html.count(f'<p class="result-kind">{kind} · First</p>') == 1

    def test_pagination_keeps_the_query(self, client):
        topic = make_topic()
        for index in range(12):
            make_article(topic=topic, body_en=f"## A\n\nkoala number {index}")
        html = client.get("/en/search/", {"q": "koala"}).content.decode()
        assert "12 results for" in html
        assert 'href="?q=koala&amp;page=2"' in html
        second = client.get("/en/search/", {"q": "koala", "page": 2}).content.decode()
        assert second.count('class="result"') == 2

    def test_every_page_holds_different_hits(self, client):
        topic = make_topic()
        for index in range(23):
            make_article(topic=topic, slug=f"koala-{index}", body_en=f"## A\n\nkoala number {index}")

        def shown(page):
            html = client.get("/en/search/", {"q": "koala", "page": page}).content.decode()
            return re.findall(r'href="/en/articles/(koala-\d+)/"', html)

        pages = [shown(page) for page in (1, 2, 3)]
        assert [len(page) for page in pages] == [10, 10, 3]
        assert len({slug for page in pages for slug in page}) == 23
        assert shown(99) == pages[2]  # past the end: the last page
        assert shown("two") == pages[0]

    def test_no_results_suggests_close_glossary_terms(self, client, corpus):
        html = client.get("/en/search/", {"q": "northbrige"}).content.decode()
        assert "Did you mean" in html
        assert ">northbridge</a>" in html

    def test_lists_are_separated_as_each_language_writes_them(self, client, corpus):
        def page(language, text):
            return client.get(f"/{language}/search/", {"q": text}).content.decode()

        assert "Also searched for northbridge, north bridge (glossary: 北橋)." in page("en", "北橋")
        assert "也一併搜尋了 northbridge、north bridge（詞彙表：北橋）。" in page("zh-hant", "北橋")
        suggestions = page("zh-hant", "northbrige").split("你是不是要找：")[-1].split("</p>")[0]
        assert re.search(r"</a>、<a ", suggestions) and ", " not in suggestions

    def test_suggestions_follow_glossary_edits_and_include_topics_and_tags(self, client, corpus):
        from kb.tests.factories import make_tag

        def suggested(text):
            return client.get("/en/search/", {"q": text}).content.decode().split("Did you mean:")[-1]

        assert ">wombat</a>" not in suggested("wombta")
        GlossaryTerm.objects.create(term_en="wombat", term_zh_hant="袋熊")
        assert ">wombat</a>" in suggested("wombta")
        make_topic(name_en="Observability")
        make_tag(name_en="Scheduling")
        assert ">Observability</a>" in suggested("observabilty")
        assert ">Scheduling</a>" in suggested("schedulng")

    def test_snippet_is_highlighted_and_escaped(self, client):
        make_article(body_en="## A\n\nThe <b>wallaby</b> & friends: wallabies everywhere.")
        html = client.get("/en/search/", {"q": "wallaby"}).content.decode()
        assert "<mark>wallaby</mark>" in html
        assert "<b>" not in html.split('class="result-snippet"')[1].split("</p>")[0]

    @pytest.mark.parametrize(
        "words",
        [
            ["containers"], ["load balancer", "負載平衡", "loadbalancer"], ["kubernetes 叢集", "kubernetes"],
            ["load balancer", "balancer"], ["橋"], ["_private", "c++", ".net"], ["docker"], ["istanbul"],
        ],
    )  # fmt: skip
    def test_highlighting_finds_what_a_case_insensitive_regex_finds(self, words):
        from search.snippets import Highlighter

        highlight = Highlighter(words)
        texts = [
            "Containers, CONTAINERS and subcontainers; a container_x. Docker's dockerd, DOCKER-compose.",
            "Load  balancer, LOAD\nBALANCERS, unload balancer, LoadBalancer; 負載平衡器與北橋、南橋。",
            "Kubernetes 叢集 and kubernetes叢集; _private x_private; use C++ or .NET (a.net).",
            "İstanbul, ISTANBUL and istanbul: a capital İ lowers to two characters.",
        ]
        for text in texts:
            careful = [match.span() for match in highlight.careful.finditer(text)]
            assert list(highlight.spans(text)) == careful, (words, text)
        assert list(Highlighter(["containers"]).spans(texts[0])) == [(0, 10), (12, 22), (44, 55)]

    def test_a_hyphenated_phrase_is_shown_in_the_interface_language(self, client):
        GlossaryTerm.objects.create(slug="fsb", term_en="front side bus", term_zh_hant="前端匯流排")
        make_article(body_en="## A\n\nThe front-side bus links the CPU.", body_zh_hant="## A\n\n前端匯流排連接 CPU。")
        html = client.get("/en/search/", {"q": "front side bus"}).content.decode()
        assert "<mark>front-side bus</mark> links" in html
        assert "Found in the other language" not in html

    @pytest.mark.parametrize(
        ("words", "text", "marked"),
        [
            (["front side bus"], "The front-side bus, a front side\nbus; front side buses.", ["front-side bus", "front side\nbus"]),
            (["kubernetes 叢集"], "Kubernetes 叢集 and kubernetes叢集管理", ["Kubernetes 叢集", "kubernetes叢集"]),
        ],
    )  # fmt: skip
    def test_a_phrase_is_marked_whatever_separates_its_words(self, words, text, marked):
        from search.snippets import Highlighter

        assert [text[start:end] for start, end in Highlighter(words).spans(text)] == marked

    def test_a_long_body_gives_the_snippet_of_its_whole_text(self, monkeypatch):
        """The snippet of a long body is looked for in its beginning first; wherever the beginning is cut
        (inside a tag, an entity, a word or a match), the snippet is the one the whole text gives."""
        from search import snippets
        from search.analysis import plain_text

        body = (
            '<h2 id="a">Setup &amp; <em>install</em></h2><p>First a few words about nothing; then the'
            " containers&nbsp;run, &#x27;containerd&#x27; starts them and more text follows "
            + "filler <code>words</code> &lt;and&gt; " * 12
            + "and at the end one wombat.</p>"
        )
        whole_text = plain_text(body)
        for cut in range(1, len(body)):
            monkeypatch.setattr(snippets, "LEADING_HTML", cut)
            beginning, _whole = snippets._body_texts(body)
            assert not beginning[1] and whole_text.startswith(beginning[0].rstrip()), cut
        wholes = {}
        for words in (["containers"], ["wombat"], ["quokka"], ["containerd", "run"]):
            highlight = snippets.Highlighter(words)
            whole = wholes[words[0]] = highlight.snippet("The summary.", body)  # shorter than the beginning
            for cut in range(1, len(body)):
                monkeypatch.setattr(snippets, "LEADING_HTML", cut)
                assert highlight.snippet("The summary.", body) == whole, (words, cut)
        assert "the <mark>containers</mark> run, &#x27;<mark>containerd</mark>&#x27; starts" in wholes["containers"]
        assert wholes["wombat"].startswith("… ") and wholes["wombat"].endswith("<mark>wombat</mark>.")
        assert wholes["quokka"] == "The summary."

    def test_query_count_does_not_grow_with_results(self, client):
        topic = make_topic()

        def count(page=1):
            with CaptureQueriesContext(connection) as queries:
                client.get("/en/search/", {"q": "kangaroo", "page": page})
            return len(queries)

        make_article(topic=topic, body_en="## A\n\nkangaroo")
        make_course(lessons=1, topic=topic, summary_en="kangaroo course")
        assert count() == 8  # the first search after a glossary change also reads the glossary
        # The glossary's version, each tier's matches (title, summary, the rest: a query of one word has no
        # phrase), the pages found (one query per kind on the page) and the topics, however many match.
        assert count() == 7
        for _ in range(15):
            make_article(topic=topic, body_en="## A\n\nkangaroo")
            make_course(lessons=2, topic=topic, summary_en="kangaroo course")
        assert (count(), count(2)) == (6, 7)  # the courses (summary matches) first, then the articles
        for _ in range(200):
            make_article(topic=topic, body_en="## A\n\nkangaroo")
        # Past 200 matches, a page that reaches into the tier the counting stopped in reads its newest.
        assert (count(), count(2), count(3)) == (6, 8, 7)

    def test_header_has_a_search_box(self, client):
        html = client.get("/zh-hant/articles/").content.decode()
        assert (
            '<form class="header-search" method="get" action="/zh-hant/search/" role="search" aria-label="快速搜尋">'
            in html
        )


class TestGlossaryPage:
    def test_lists_terms_in_both_languages(self, client, corpus):
        html = client.get("/zh-hant/glossary/").content.decode()
        assert "northbridge" in html and "北橋" in html
